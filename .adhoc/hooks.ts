import { loadConfig } from '../src/config.js'
import { buildApp } from '../src/app.js'
const app = await buildApp(loadConfig({ ...process.env, NODE_ENV: 'production', DATA_DIR: '/tmp/bb01b', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'http://localhost:3000', LOG_LEVEL: 'warn' } as any))
await app.ready()
const out = app.printRoutes({ includeHooks: true, commonPrefix: false })
const lines = out.split('\n'); const i = lines.findIndex((l) => l.includes('feed.xml'))
console.log(lines.slice(i, i + 30).join('\n'))
await app.close()
