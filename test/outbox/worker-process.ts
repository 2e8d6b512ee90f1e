// A server process for the crash test: the real app on the given DATA_DIR (env), with its jobs
// running, until it is killed. Prints "ready" once started.
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'

const app = await buildApp(loadConfig(process.env))
await app.ready()
process.stdout.write('ready\n')
setInterval(() => {}, 1 << 30)
