import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { setActive } from '../../src/users/service.js'
import { renewFeedKey } from '../../src/feeds/keys.js'
import v8 from 'node:v8'
import vm from 'node:vm'
import { keptParts } from '../../src/web/shared-page.js'

async function insertUpdate(app: import('fastify').FastifyInstance, authorId: number, text: string) {
  await app.db.insertInto('micro_posts').values({ author_id: authorId, body: text, body_html: text, created_at: new Date().toISOString() }).execute()
}

test('a logged-in page is kept for its own session only, until content changes', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const ola = await makeUser(app, { username: 'ola', displayName: 'Ola Nordmann' })
  const k = await loggedIn(app, kari)
  const o = await loggedIn(app, ola)

  await k.get('/micro') // (the first page sets the CSRF cookie: not kept)
  const first = await k.get('/micro')
  assert.equal(first.statusCode, 200)
  // Nothing changed: the kept page is served again (its tokens too).
  const again = await k.get('/micro')
  assert.equal(again.body, first.body, 'served from the cache')
  assert.equal(again.headers['cache-control'], 'no-store')
  assert.match(String(again.headers['content-security-policy']), /default-src 'self'/)
  // A change made behind the app's back (no request, as another process would) shows at once.
  await insertUpdate(app, ola.id, 'Skrevet rett i databasen')
  assert.match((await k.get('/micro')).body, /Skrevet rett i databasen/)

  // Another person never gets Kari's page.
  const olas = await o.get('/micro')
  assert.match(olas.body, /Ola Nordmann/)
  assert.doesNotMatch(olas.body, /Kari Nordmann/)
  assert.match(olas.body, /Skrevet rett i databasen/)

  // Any successful POST starts a new content generation: Kari sees the change at once.
  const posted = await o.post('/micro', { body: 'En ny oppdatering' }, { from: '/micro' })
  assert.equal(posted.statusCode, 303)
  const fresh = await k.get('/micro')
  assert.match(fresh.body, /Skrevet rett i databasen/)
  assert.match(fresh.body, /En ny oppdatering/)
})

test('a page from a shared body is kept as its parts: sent again the same, and made again once its body is gone', async (t) => {
  const app = await buildTestApp(t)
  const writer = await makeUser(app, { username: 'ola' })
  await insertUpdate(app, writer.id, 'Ei oppdatering frå Ola')
  // A name beyond ASCII: the page's size is counted in bytes, the name in the layout included.
  const aase = await makeUser(app, { username: 'aase', displayName: 'Åse Ødegård «Æ»' })
  const a = await loggedIn(app, aase)
  await a.get('/micro') // sets the CSRF cookie; the body is asked for the first time (made alone)
  const first = await a.get('/micro') // the shared body is made; Åse's page is kept as its parts
  assert.equal(first.statusCode, 200)
  assert.match(first.body, /Åse Ødegård «Æ»/)
  assert.match(first.body, /Ei oppdatering frå Ola/)
  const bodies = app.sharedBodies.size
  const again = await a.get('/micro')
  assert.equal(again.body, first.body, 'assembled again from the kept parts, byte for byte')
  assert.equal(app.sharedBodies.size, bodies)
  assert.equal(Number(again.headers['content-length']), Buffer.byteLength(first.body))

})

test('kept parts hold their shared frame and body weakly: once those are collected, the kept page is gone', async () => {
  let frame: { head: string[]; tail: string[] } | undefined = { head: ['<p>'], tail: ['</p>'] }
  let body: { bytes: Buffer; slots: never[]; regions: never[]; owners: Set<number> } | undefined = { bytes: Buffer.from('Åse'), slots: [], regions: [], owners: new Set() }
  const kept = keptParts({ frame, body, values: new Map(), reader: -1, size: 11 })
  assert.equal(kept.remake()?.toString(), '<p>Åse</p>')
  frame = body = undefined
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  await new Promise((resolve) => setImmediate(resolve)) // a WeakRef holds its target until the turn ends
  gc()
  assert.equal(kept.remake(), undefined)
})

test('a cached page is never served to a session that has ended', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const kari = await makeUser(app, { username: 'kari' })
  const k = await loggedIn(app, kari)
  assert.equal((await k.get('/settings')).statusCode, 200)
  // Deactivated outside any request (as the CLI does): no generation change, but the session is gone.
  await setActive(app.db, null, kari.id, false)
  const after = await k.get('/settings')
  assert.equal(after.statusCode, 303)
  assert.match(String(after.headers.location), /^\/login/)
  void admin
})

test('a person\'s first feed key drops only their own kept pages; a renewed key shows on their next page', async (t) => {
  const app = await buildTestApp(t) // internal: feed links carry each reader's key
  const kari = await makeUser(app, { username: 'kari' })
  const ola = await makeUser(app, { username: 'ola' })
  const k = await loggedIn(app, kari)
  const o = await loggedIn(app, ola)
  const keyIn = (html: string) => /\?key=([\w-]+)/.exec(html)?.[1]
  for (let i = 0; i < 3; i++) await o.get('/micro') // Ola's own first key made; then his page is kept
  const kept = (await o.get('/micro')).body
  assert.equal((await o.get('/micro')).body, kept, 'kept')
  const olasKey = keyIn(kept)
  assert.ok(olasKey)

  const kariFirst = (await k.get('/micro')).body // Kari's first key is made
  assert.ok(await app.db.selectFrom('feed_keys').select('user_id').where('user_id', '=', kari.id).executeTakeFirst())
  assert.notEqual(keyIn(kariFirst), olasKey)
  assert.equal((await o.get('/micro')).body, kept, 'Ola\'s kept page outlives Kari\'s new key')

  assert.equal((await o.post('/settings/feeds/renew', {}, { from: '/settings/feeds' })).statusCode, 303)
  const renewed = (await o.get('/micro')).body
  assert.ok(keyIn(renewed) && keyIn(renewed) !== olasKey, 'the renewed key on Ola\'s next page')
  assert.ok(!renewed.includes(olasKey!))
})

test('the unread badge and the feed key are kept per person, yet a change by any process shows on the next page', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const ola = await makeUser(app, { username: 'ola' })
  const k = await loggedIn(app, kari)
  const o = await loggedIn(app, ola)
  const badge = (html: string) => /class="badge">(\d+)/.exec(html)?.[1]
  const keyIn = (html: string) => /\?key=([\w-]+)/.exec(html)?.[1]
  // Different pages each time: never a kept page, always the badge and key as the person has them now.
  let n = 0
  const page = async (c: typeof k) => (await c.get(`/micro?before=${1_000_000 + n++}`)).body
  for (const c of [k, o, k, o]) assert.equal(badge(await page(c)), undefined)

  // Written straight into the database, as another process would.
  const now = new Date().toISOString()
  const note = { kind: 'comment', actor_id: ola.id, subject_type: 'post', subject_id: 1, created_at: now, updated_at: now, read_at: null }
  await app.db.insertInto('notifications').values([{ ...note, user_id: kari.id }, { ...note, user_id: kari.id, subject_id: 2 }]).execute()
  assert.equal(badge(await page(k)), '2', 'new notifications show at once')
  assert.equal(badge(await page(o)), undefined, 'only for their person')
  await app.db.updateTable('notifications').set({ read_at: now }).where('user_id', '=', kari.id).where('subject_id', '=', 1).execute()
  assert.equal(badge(await page(k)), '1', 'read: the count drops at once')
  await app.db.deleteFrom('notifications').where('user_id', '=', kari.id).execute()
  assert.equal(badge(await page(k)), undefined)

  const before = keyIn(await page(k))
  assert.equal(keyIn(await page(k)), before)
  const renewed = await renewFeedKey(app.db, app.config.sessionSecret, kari.id)
  assert.notEqual(renewed, before)
  assert.equal(keyIn(await page(k)), renewed, 'a key renewed elsewhere shows on the next page')
  assert.notEqual(keyIn(await page(o)), renewed)
})
