// Buffers used again from one response to the next (src/web/page-buffers.ts): a buffer is never
// handed to a second response while the first may still be writing it, and pages assembled in them
// reach each reader whole and their own, over real sockets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { once } from 'node:events'
import { freeResponseBuffers, responseBuffer } from '../../src/web/page-buffers.js'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

/** A loopback server whose handler the test drives: each request's response is handed to the test. */
async function server(t: import('node:test').TestContext) {
  const waiting: ((res: http.ServerResponse) => void)[] = []
  const pending: http.ServerResponse[] = []
  const srv = http.createServer((_req, res) => {
    const next = waiting.shift()
    if (next) next(res)
    else pending.push(res)
  })
  srv.listen(0, '127.0.0.1')
  await once(srv, 'listening')
  t.after(() => new Promise((resolve) => {
    srv.close(resolve)
    srv.closeAllConnections() // fetch keeps its connections alive
  }))
  const { port } = srv.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    /** The next request's response, unanswered. */
    next: () => new Promise<http.ServerResponse>((resolve) => (pending.length ? resolve(pending.shift()!) : waiting.push(resolve))),
  }
}

/** A request whose failure (the server closed after a failed assertion) is not also unhandled. */
function ask(url: string): Promise<Response> {
  const asked = fetch(url)
  asked.catch(() => undefined)
  return asked
}

test('a response buffer goes to another response only after its own has closed', async (t) => {
  const s = await server(t)
  const size = 40_000
  const first = ask(s.url)
  const res1 = await s.next()
  const buf1 = responseBuffer(res1, size)
  assert.equal(buf1.length, size)
  // A second response while the first is still open gets memory of its own.
  const second = ask(s.url)
  const res2 = await s.next()
  const buf2 = responseBuffer(res2, size)
  assert.notEqual(buf2.buffer, buf1.buffer)
  buf1.fill('a')
  buf2.fill('b')
  res2.end(buf2)
  assert.equal(await (await second).text(), 'b'.repeat(size))
  res1.end(buf1)
  const body1 = await (await first).text()
  assert.equal(body1, 'a'.repeat(size), 'the first page whole, though the second was made meanwhile')
  if (!res1.closed) await once(res1, 'close')
  // Closed: its buffer is the next one of that size handed out.
  const third = ask(s.url)
  const res3 = await s.next()
  assert.equal(responseBuffer(res3, size - 100).buffer, buf1.buffer)
  res3.end('')
  await third
  // Small pages neither take from these nor give back to them.
  const free = freeResponseBuffers()
  const fourth = ask(s.url)
  const res4 = await s.next()
  const small = responseBuffer(res4, 1_000)
  res4.end('')
  await fourth
  // Node's own slab may be 8 KB (Node 20) or 64 KB (Node 24); what matters is that it is not ours.
  assert.ok(small.buffer !== buf1.buffer && small.buffer !== buf2.buffer, 'a small page takes no pooled buffer')
  assert.equal(freeResponseBuffers(), free)
  if (!res4.closed) await once(res4, 'close')
  assert.equal(freeResponseBuffers(), free)
})

test('a connection lost before the page was sent gives its buffer back', async (t) => {
  const s = await server(t)
  const controller = new AbortController()
  const asked = fetch(s.url, { signal: controller.signal }).catch(() => undefined)
  const res = await s.next()
  responseBuffer(res, 100_000)
  const before = freeResponseBuffers()
  controller.abort()
  await asked
  if (!res.closed) await once(res, 'close')
  assert.equal(freeResponseBuffers(), before + 1)
})

// Every pooled buffer is overwritten with X as soon as its response closes: a byte read after that
// shows as X, and a buffer handed to another reader too soon shows their name.
test('pages assembled in reused buffers reach readers whole and their own under pipelining, slow readers, stalls, aborts and half-closes', async (t) => {
  let poisoned = 0, framedPath = 0, remakePath = 0
  const app = await buildTestApp(t, {}, (app) => {
    app.addHook('onSend', (_req, reply, payload, done) => {
      if (Buffer.isBuffer(payload) && payload.byteOffset === 0) {
        const n = payload.buffer.byteLength
        if (n >= 16_384 && (n & (n - 1)) === 0) {
          if (_req.pageParts?.page === payload) framedPath++
          else remakePath++
          reply.raw.once('close', () => { poisoned++; payload.fill('X') })
        }
      }
      done(null, payload)
    })
  })
  const writer = await makeUser(app, { username: 'skribent' })
  const now = Date.now()
  await app.db.insertInto('micro_posts').values(Array.from({ length: 60 }, (_, i) => ({
    author_id: writer.id, body: `Oppdatering ${i}: ${'blåbærsyltetøy '.repeat(20)}`, body_html: `<p>Oppdatering ${i}: ${'blåbærsyltetøy '.repeat(20)}</p>`,
    created_at: new Date(now - i * 60_000).toISOString(),
  }))).execute()
  const N = 8
  const people = await Promise.all(Array.from({ length: N }, (_, i) => makeUser(app, { username: `leser${i}`, displayName: `Leser Nummer ${i} Æøå` })))
  const clients = await Promise.all(people.map((p) => loggedIn(app, p)))
  for (const c of clients) await c.get('/micro')
  for (const c of clients) await c.get('/micro')
  const cookie = (i: number) => [...clients[i]!.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const tokenOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  const norm = (page: string) => { const tok = tokenOf(page); return tok ? page.split(tok).join('TOKEN') : page }
  const reference = clients.map((c) => norm(c.lastHtml))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  let verified = 0, heads = 0, others = 0, aborted = 0, r = 0
  const failures: string[] = []
  const checkPage = (i: number, page: string, path: string) => {
    const problems: string[] = []
    if (!page.includes(`Leser Nummer ${i} Æøå`)) problems.push('own name missing')
    for (let j = 0; j < N; j++) if (j !== i && page.includes(`Leser Nummer ${j} Æøå`)) problems.push(`has reader ${j}'s name`)
    if (page.includes('XXXXXXXX')) problems.push('poison (bytes read after close)')
    if (!/<\/html>\s*$/.test(page)) problems.push('not whole')
    if (problems.length === 0 && norm(page) !== reference[i]) problems.push('differs from reference')
    if (problems.length) failures.push(`reader ${i} ${path}: ${problems.join(', ')}`)
    else verified++
  }

  type Req = { path: string; method: 'GET' | 'HEAD'; cond: boolean }
  const conn = (i: number, mode: string) => new Promise<void>((resolve) => {
    const list: Req[] = []
    let wire = ''
    const n = mode === 'stall' ? 20 + Math.floor(Math.random() * 20) : 2 + Math.floor(Math.random() * 10)
    for (let k = 0; k < n; k++) {
      const x = Math.random()
      const q: Req = { path: x < 0.4 ? `/micro?r=${++r}` : '/micro', method: x > 0.92 ? 'HEAD' : 'GET', cond: x > 0.85 && x <= 0.92 }
      list.push(q)
      wire += `${q.method} ${q.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie(i)}\r\n${q.cond ? 'If-None-Match: "x"\r\n' : ''}\r\n`
    }
    const s = net.connect(port, '127.0.0.1')
    s.write(wire)
    if (mode === 'halfclose') s.end()
    let buf = Buffer.alloc(0)
    let got = 0
    const abortAt = Math.floor(Math.random() * 300_000)
    const check = () => {
      for (;;) {
        const q = list[0]
        if (!q) { s.destroy(); return }
        const he = buf.indexOf('\r\n\r\n')
        if (he < 0) return
        const head = buf.subarray(0, he).toString('latin1')
        const status = Number(head.split(' ')[1])
        const chunked = /transfer-encoding: chunked/i.test(head)
        if (chunked) { failures.push(`reader ${i}: chunked response`); s.destroy(); return }
        const cl = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0)
        const bodyLen = q.method === 'HEAD' || status === 304 || status === 204 ? 0 : cl
        if (buf.length < he + 4 + bodyLen) return
        const body = buf.subarray(he + 4, he + 4 + bodyLen)
        buf = buf.subarray(he + 4 + bodyLen)
        list.shift()
        if (q.method === 'HEAD') { heads++; continue }
        if (status !== 200) { others++; continue }
        checkPage(i, body.toString('utf8'), q.path)
      }
    }
    s.on('data', (d) => {
      got += d.length
      buf = Buffer.concat([buf, d])
      if (mode === 'abort' && got > abortAt) { aborted++; s.destroy(); return }
      if (mode === 'slow') { s.pause(); setTimeout(() => s.resume(), 2 + Math.floor(Math.random() * 30)) }
      if (mode === 'stall' && got === d.length) { s.pause(); setTimeout(() => s.resume(), 300 + Math.floor(Math.random() * 700)) }
      check()
    })
    s.on('error', () => {})
    s.on('close', () => resolve())
  })
  const modes = ['fast', 'slow', 'stall', 'stall', 'abort', 'halfclose']
  const end = Date.now() + 3_000
  await Promise.all(Array.from({ length: 2 * N }, async (_, w) => {
    while (Date.now() < end) await conn(w % N, modes[Math.floor(Math.random() * modes.length)]!)
  }))
  assert.deepEqual(failures.slice(0, 20), [])
  assert.ok(verified > 50, `${verified} pages checked`)
  assert.ok(framedPath > 0 && remakePath > 0 && poisoned > 0, 'both ways of assembling a page used reused buffers')
  assert.ok(freeResponseBuffers() > 0)
})
