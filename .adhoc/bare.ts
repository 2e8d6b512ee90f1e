// npx tsx .adhoc/bare.ts : CPU µs per request of a bare node http server vs a bare Fastify route (10 KB), turns of 1 s
import { spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { cpuSeconds, freePort, onCore } from '../bench/proc.js'
const kind = process.argv[2]
if (kind) {
  const body = Buffer.alloc(Number(process.argv[3] ?? 10240), 'x')
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', etag: 'W/"abc-br"' }
  for (let i = 0; i < 12; i++) headers[`x-security-${i}`] = 'some value of a header ' + i
  if (kind === 'raw') {
    const http = await import('node:http')
    http.createServer((req, res) => { res.writeHead(200, { ...headers, 'content-length': body.length }); res.end(body) }).listen(Number(process.env.PORT), '127.0.0.1')
  } else {
    const Fastify = (await import('fastify')).default
    const pino = (await import('pino')).default
    const own = pino({ level: 'warn' })
    const opts: any = kind === 'fastify' ? { logger: false } : kind === 'fastify-log' ? { logger: { level: 'warn' } } : kind === 'fastify-log-disabled' ? { logger: { level: 'warn' }, disableRequestLogging: true } : { logger: false, childLoggerFactory: (_l: any, b: any) => own.child(b) }
    const app = Fastify(opts)
    app.get('/', async (_req, reply) => reply.headers(headers).send(body))
    await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
  }
} else {
  const sides = []
  for (const k of ['fastify', 'fastify-log', 'fastify-log-disabled', 'fastify-childfactory']) {
    const port = await freePort()
    const [bin, ...rest] = onCore(0, [process.execPath, '--import', 'tsx', '.adhoc/bare.ts', k])
    const child = spawn(bin!, rest, { env: { ...process.env, PORT: String(port) }, stdio: 'inherit' })
    await new Promise((r) => setTimeout(r, 3000))
    sides.push({ k, port, child, cpu: 0, n: 0 })
  }
  for (const s of sides) await autocannon({ url: `http://127.0.0.1:${s.port}/`, connections: 10, duration: 1 })
  for (let t = 0; t < 8; t++) for (const s of sides) {
    const b = cpuSeconds(s.child.pid)
    const r = await autocannon({ url: `http://127.0.0.1:${s.port}/`, connections: 10, duration: 1 })
    s.cpu += cpuSeconds(s.child.pid) - b; s.n += r.requests.total
  }
  for (const s of sides) { console.log(s.k, (s.cpu / s.n * 1e6).toFixed(1), 'µs/req'); s.child.kill() }
}
