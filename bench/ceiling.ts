// The ceiling: a bare Fastify route answering a fixed 10 KB HTML page. What this machine can do at
// best; every Betablogg figure is printed as a fraction of it.
import Fastify from 'fastify'

const head = '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Ceiling</title></head><body><main>'
const tail = '</main></body></html>'
const filler = '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.</p>\n'
let body = ''
while (head.length + body.length + filler.length + tail.length <= 10 * 1024) body += filler
const page = Buffer.from(head + body.padEnd(10 * 1024 - head.length - tail.length, ' ') + tail)

const app = Fastify({ logger: false })
app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page))
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3999) })
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
