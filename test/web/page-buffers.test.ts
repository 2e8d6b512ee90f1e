// Buffers used again from one response to the next (src/web/page-buffers.ts): a buffer is never
// handed to a second response while the first may still be writing it, and pages assembled in them
// reach each reader whole and their own, over real sockets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
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
  t.after(() => new Promise((resolve) => srv.close(resolve)))
  const { port } = srv.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    /** The next request's response, unanswered. */
    next: () => new Promise<http.ServerResponse>((resolve) => (pending.length ? resolve(pending.shift()!) : waiting.push(resolve))),
  }
}

test('a response buffer goes to another response only after its own has closed', async (t) => {
  const s = await server(t)
  const size = 40_000
  const first = fetch(s.url)
  const res1 = await s.next()
  const buf1 = responseBuffer(res1, size)
  assert.equal(buf1.length, size)
  // A second response while the first is still open gets memory of its own.
  const second = fetch(s.url)
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
  const third = fetch(s.url)
  const res3 = await s.next()
  assert.equal(responseBuffer(res3, size - 100).buffer, buf1.buffer)
  res3.end('')
  await third
  // Small pages come from Node's own pool, not from these.
  const free = freeResponseBuffers()
  const fourth = fetch(s.url)
  const res4 = await s.next()
  assert.ok(responseBuffer(res4, 1_000).buffer.byteLength < 16 * 1024 || freeResponseBuffers() === free)
  res4.end('')
  await fourth
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

test('pages from a shared body, assembled in buffers used again, reach many readers at once whole and their own', async (t) => {
  const app = await buildTestApp(t) // internal: everyone logged in
  const writer = await makeUser(app, { username: 'skribent' })
  // A timeline well over the smallest pooled size.
  const now = Date.now()
  await app.db.insertInto('micro_posts').values(Array.from({ length: 60 }, (_, i) => ({
    author_id: writer.id, body: `Oppdatering ${i}: ${'blåbærsyltetøy '.repeat(20)}`, body_html: `<p>Oppdatering ${i}: ${'blåbærsyltetøy '.repeat(20)}</p>`,
    created_at: new Date(now - i * 60_000).toISOString(),
  }))).execute()
  const people = await Promise.all(Array.from({ length: 12 }, (_, i) => makeUser(app, { username: `leser${i}`, displayName: `Leser Nummer ${i} Æøå` })))
  const clients = await Promise.all(people.map((p) => loggedIn(app, p)))
  for (const c of clients) await c.get('/micro') // the CSRF cookie; the body asked for
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const cookie = (i: number) => [...clients[i]!.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const free = freeResponseBuffers()
  // Twice: made from the shared body, then from each person's kept parts.
  for (let round = 0; round < 2; round++) {
    const pages = await Promise.all(people.map(async (_p, i) => {
      const res = await fetch(`http://127.0.0.1:${port}/micro`, { headers: { cookie: cookie(i) } })
      assert.equal(res.status, 200)
      const bytes = Buffer.from(await res.arrayBuffer())
      assert.equal(bytes.length, Number(res.headers.get('content-length')))
      return bytes.toString('utf8')
    }))
    pages.forEach((page, i) => {
      assert.ok(Buffer.byteLength(page) > 16 * 1024, 'large enough to be assembled in a reused buffer')
      assert.match(page, new RegExp(`Leser Nummer ${i} Æøå`))
      for (let j = 0; j < people.length; j++) if (j !== i) assert.ok(!page.includes(`Leser Nummer ${j} Æøå<`), `reader ${i} never sees reader ${j}`)
      assert.match(page, /Oppdatering 59:/)
      assert.match(page, /<\/html>\s*$/)
      assert.doesNotMatch(page, /bbslot-|bbbody-/)
    })
  }
  assert.ok(freeResponseBuffers() > free, 'the pages were assembled in buffers given back')
})
