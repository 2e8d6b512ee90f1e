import { test } from 'node:test'
import assert from 'node:assert/strict'
import zlib from 'node:zlib'
import { buildTestApp, duringTransaction } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { bumpContentGeneration, contentGeneration, GenerationCache } from '../../src/web/page-cache.js'
import { insertPost, makePublic } from './fixtures.js'
import { parseXml } from './xml.js'
import { syncAfterTransactions } from '../../src/coherence/index.js'

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
const titles = (body: string) => parseXml(body).child('channel')!.all('item').map((i) => i.child('title')?.text)

test('GenerationCache: LRU within its bounds, and every entry dies with its generation', () => {
  const cache = new GenerationCache<string>({ maxEntries: 2, maxBytes: 100 })
  cache.set('a', 'A', 10)
  cache.set('b', 'B', 10)
  assert.equal(cache.get('a'), 'A') // a is now the most recently used
  cache.set('c', 'C', 10)
  assert.equal(cache.get('b'), undefined, 'the least recently used entry went')
  assert.equal(cache.get('a'), 'A')
  cache.set('big', 'X', 95)
  assert.equal(cache.size, 1, 'the byte bound evicts too')
  const gen = contentGeneration()
  bumpContentGeneration()
  assert.equal(cache.get('big'), undefined, 'a new generation makes everything stale')
  cache.set('late', 'L', 1, gen)
  assert.equal(cache.get('late'), undefined, 'a value made before the change is not stored')
})

test('GenerationCache: entries expire after their time to live', async () => {
  const cache = new GenerationCache<string>({ maxEntries: 10, ttlMs: 20 })
  cache.set('a', 'A')
  assert.equal(cache.get('a'), 'A')
  await new Promise((r) => setTimeout(r, 40))
  assert.equal(cache.get('a'), undefined)
})

test('anonymous readers of a public site share cached pages until a POST changes something', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await makePublic(app)
  await insertPost(app, { author: kari, title: 'Første' })
  const reader = new Client(app)
  assert.deepEqual(titles((await reader.get('/feed.xml')).body), ['Første'])

  const first = await reader.get('/feed.xml')
  assert.ok(first.headers.etag, 'cached responses keep their headers')
  assert.equal(first.headers['x-content-type-options'], 'nosniff', 'security headers are replayed')

  // Written behind the app's back (no request, as a job or the CLI does): shown at once, since every
  // change to what readers see is logged in the database with the change (src/coherence).
  await insertPost(app, { author: kari, title: 'Andre' })
  assert.deepEqual(titles((await reader.get('/feed.xml')).body).sort(), ['Andre', 'Første'])

  // A successful POST also starts afresh, e.g. someone changing their language; a failed one does not.
  const visitor = new Client(app)
  const post = await visitor.post('/language', { lang: 'nb', next: '/' }, { from: '/language' })
  assert.equal(post.statusCode, 303)
  assert.equal((await visitor.post('/language', { lang: 'nb' }, { csrf: 'forged' })).statusCode, 403)
  assert.equal(titles((await reader.get('/feed.xml')).body).length, 2)
})

test('a published change shows at once after the POST that made it, for everyone', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await makePublic(app)
  const c = await loggedIn(app, kari)
  const reader = new Client(app)
  const before = await reader.get('/search?q=kantine')
  assert.match(before.body, /Ingen treff/)
  const post = await insertPost(app, { author: kari, title: 'Ny kantine', status: 'draft' })
  await app.db.updateTable('posts').set({ status: 'published', published_at: new Date().toISOString() }).where('id', '=', post.id).execute()
  // The change is made; the POST that made it ends with a redirect (settings save stands in).
  const saved = await c.post('/settings/profile', { displayName: 'Kari', email: '', bio: '', language: '' }, { from: '/settings' })
  assert.equal(saved.statusCode, 303)
  const after = await reader.get('/search?q=kantine')
  assert.match(after.body, /Ny <mark>kantine<\/mark>/)
})

test('never shared: logged-in readers, internal sites, responses that set cookies', async (t) => {
  // A page with no cache of its own that shows something the change log does not know about.
  let n = 0
  const app = await buildTestApp(t, {}, (a) => a.get('/test-count', async (_req, reply) => reply.type('text/html; charset=utf-8').send(`<p>${n} posts</p>`)))
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const reader = new Client(app)
  // Internal site: the anonymous reader is sent to the login page. A logged-in reader's page is kept
  // for their own session only (src/web/session-page-cache.ts) until content changes.
  n++
  assert.equal((await c.get('/test-count')).body, '<p>1 posts</p>')
  n++
  assert.equal((await c.get('/test-count')).body, '<p>1 posts</p>', 'kept for this session: no request changed content')
  bumpContentGeneration()
  assert.equal((await c.get('/test-count')).body, '<p>2 posts</p>')
  assert.equal((await reader.get('/test-count')).statusCode, 303)

  await makePublic(app)
  assert.equal((await reader.get('/test-count')).body, '<p>2 posts</p>')
  n++
  assert.equal((await reader.get('/test-count')).body, '<p>2 posts</p>', 'the anonymous reader gets the cached page')
  bumpContentGeneration()
  assert.equal((await c.get('/test-count')).body, '<p>3 posts</p>', 'a session never gets the anonymous readers\' page')
  assert.equal((await reader.get('/test-count', { cookie: 'betablogg=expired-session' })).body, '<p>3 posts</p>',
    'so does a stale session cookie')

  // The login page sets a CSRF cookie: every anonymous visitor must get their own.
  const a = await new Client(app).get('/login')
  const b = await new Client(app).get('/login')
  assert.ok(a.headers['set-cookie'] && b.headers['set-cookie'])
  assert.notEqual(a.headers['set-cookie'], b.headers['set-cookie'])
  // A visitor who already has the cookie gets a form without Set-Cookie: still never shared, or the
  // next visitor would get a token for someone else's cookie and no cookie of their own.
  const returning = new Client(app)
  await returning.get('/login')
  assert.equal((await returning.get('/login')).headers['set-cookie'], undefined)
  const next = await new Client(app).get('/login')
  assert.ok(next.headers['set-cookie'], 'the next visitor gets a cookie of their own')
  assert.notEqual(csrfOf(next.body), csrfOf((await returning.get('/login')).body))
})

test('cached HTML pages answer a repeated request with 304', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app)
  await makePublic(app)
  const reader = new Client(app)
  const first = await reader.get('/search?q=x')
  assert.equal(first.statusCode, 200)
  const etag = String(first.headers.etag)
  assert.match(etag, /^W\/"/)
  const again = await reader.get('/search?q=x', { 'if-none-match': etag })
  assert.equal(again.statusCode, 304)
  // Language is part of the key.
  const english = await reader.get('/search?q=x', { 'accept-language': 'en' })
  assert.match(english.body, /<html lang="en">/)
  assert.match(english.body, /<a href="\/language\?next=%2Fsearch">Language<\/a>/, 'the footer names the language page once in English')
  assert.match((await reader.get('/search?q=x')).body, /Språk \/ <span lang="en">Language<\/span><\/a>/)
  assert.match((await reader.get('/search?q=x')).body, /<html lang="nb">/)
})

test('a page asked for while a job here holds a transaction is kept, with what was committed before it', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await makePublic(app)
  const reader = new Client(app)
  await reader.get('/')
  // Committed behind the app's back: the change feed has not read it yet.
  await insertPost(app, { author: kari, title: 'Skrevet før jobben' })
  assert.match((await duringTransaction(app, () => reader.get('/'))).body, /Skrevet før jobben/)
  // Kept as made after that change, so the next reader gets the kept page (compressed only from there).
  const again = await reader.get('/', { 'accept-encoding': 'br' })
  assert.equal(again.headers['content-encoding'], 'br')
})

test('the change log is read once a transaction of this process has ended, not skipped', async (t) => {
  const app = await buildTestApp(t)
  if (app.database.kind !== 'sqlite') return t.skip('SQLite: the log is read on the connection the transaction holds')
  const kari = await makeUser(app)
  const before = app.changes.sync()
  await insertPost(app, { author: kari, title: 'Før transaksjonen' })
  const seen = await duringTransaction(app, () => {
    assert.equal(app.changes.sync(), before, 'inside the transaction the log is not read')
    assert.equal(app.changes.upToDate(), false)
    return syncAfterTransactions(app.changes)
  }, 20)
  assert.ok(seen > before, 'read once the transaction ended')
  assert.equal(app.changes.upToDate(), true)
})

test('shared pages are sent compressed to clients that accept it; pages made for a session are not', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await makePublic(app)
  for (let i = 0; i < 5; i++) await insertPost(app, { author: kari, title: `Innlegg nummer ${i}` })
  const reader = new Client(app)
  const plain = await reader.get('/')
  assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: sent as it is')
  assert.match(String(plain.headers.vary), /Accept-Encoding/)

  // A page is compressed when it is asked for again (once per coding), then sent from the kept copy.
  for (const round of [1, 2]) {
    const br = await reader.get('/', { 'accept-encoding': 'gzip, deflate, br' })
    assert.equal(br.statusCode, 200)
    assert.equal(br.headers['content-encoding'], 'br', `round ${round}: brotli preferred`)
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), plain.body)
    assert.ok(br.rawPayload.length < plain.rawPayload.length / 2)
    assert.equal(br.headers.etag, String(plain.headers.etag).replace(/"$/, '-br"'), 'each coding its own validator')
    const revalidated = await reader.get('/', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) })
    assert.equal(revalidated.statusCode, 304)
    assert.equal(revalidated.headers.etag, br.headers.etag, 'a 304 names the copy the client holds')
  }
  const refused = await reader.get('/', { 'accept-encoding': 'br;q=0, *' })
  assert.equal(refused.headers['content-encoding'], 'gzip', 'a coding refused by name is never sent, whatever "*" says')
  assert.equal((await reader.get('/', { 'accept-encoding': 'br;q=0, gzip;q=0.0' })).headers['content-encoding'], undefined)
  bumpContentGeneration()
  const fresh = await reader.get('/', { 'accept-encoding': 'gzip' })
  assert.equal(fresh.headers['content-encoding'], undefined, 'a page just made is sent as it is')
  assert.equal(fresh.body, plain.body)
  // Several at once for a copy not made yet: each gets it, whole.
  const together = await Promise.all([1, 2, 3].map(() => reader.get('/', { 'accept-encoding': 'br' })))
  for (const r of together) {
    assert.equal(r.headers['content-encoding'], 'br')
    assert.equal(zlib.brotliDecompressSync(r.rawPayload).toString(), plain.body)
  }
  assert.deepEqual([plain, fresh, ...together].map((r) => r.headers['cache-control']), Array(5).fill('no-cache'), 'revalidated by every reader, kept or made')
  const gz = await reader.get('/', { 'accept-encoding': 'gzip;q=1, br;q=0' })
  assert.equal(gz.headers['content-encoding'], 'gzip')
  assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), plain.body)
  assert.equal((await reader.get('/', { 'accept-encoding': 'identity' })).headers['content-encoding'], undefined)
  const head = await app.inject({ method: 'HEAD', url: '/' })
  assert.equal(head.statusCode, 200)
  assert.equal(head.body, '', 'HEAD: headers only')
  assert.equal(head.headers.etag, plain.headers.etag, 'the kept page answers HEAD with its validator')
  assert.equal(Number(head.headers['content-length']), plain.rawPayload.length)
  const notModified = await reader.get('/', { 'accept-encoding': 'br', 'if-none-match': String(plain.headers.etag) })
  assert.equal(notModified.statusCode, 304)
  assert.equal(notModified.rawPayload.length, 0)

  // Feeds too; their own validator becomes weak.
  await reader.get('/feed.xml')
  const feed = await reader.get('/feed.xml', { 'accept-encoding': 'gzip' })
  assert.equal(feed.headers['content-encoding'], 'gzip')
  assert.match(String(feed.headers.etag), /^W\//)
  assert.match(zlib.gunzipSync(feed.rawPayload).toString(), /<rss/)
  assert.match(String(feed.headers.vary), /Accept-Language, Accept-Encoding/)

  // A logged-in page carries a CSRF token: never compressed, so its size tells nothing about it.
  const c = await loggedIn(app, kari)
  for (const round of [1, 2]) {
    const mine = await c.get('/', { 'accept-encoding': 'br, gzip' })
    assert.equal(mine.headers['content-encoding'], undefined, `round ${round}`)
    assert.match(mine.body, /name="_csrf"/)
  }
})
