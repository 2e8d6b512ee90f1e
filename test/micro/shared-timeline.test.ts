// The microblog timeline's body is shared by everyone who sees the same (src/web/shared-page.ts):
// one person's likes, bookmarks, own updates, name, token and feed key must never reach another, and
// every change shows on the next page, for logged-in and anonymous readers alike.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn, type Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { feedKeyFor } from '../../src/feeds/keys.js'
import { setActive } from '../../src/users/service.js'

const noMarker = (page: string) => assert.doesNotMatch(page, /bbslot-[0-9a-f]{18}-|bbbody-/, 'every marker filled in')
const userName = (html: string) => /<span class="user-name">([^<]*)<\/span>/.exec(html)?.[1]
const feedKeys = (html: string) => new Set([...html.matchAll(/\?key=([\w-]+)/g)].map((m) => m[1]))
const tokens = (html: string) => new Set([...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]))
const liked = (html: string, id: number) => new RegExp(`action="/micro/${id}/like"[^]*?aria-pressed="true"[^]*?</form>`).test(html.slice(html.indexOf(`id="micro_${id}"`)).split('</article>')[0]!)
const bookmarked = (html: string, id: number) => html.slice(html.indexOf(`id="micro_${id}"`)).split('</article>')[0]!.includes('bookmark-button" aria-pressed="true"')
const lastMicroId = async (app: FastifyInstance) =>
  (await app.db.selectFrom('micro_posts').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id

async function post(c: Client, app: FastifyInstance, body: string): Promise<number> {
  assert.equal((await c.post('/micro', { body }, { from: '/micro' })).statusCode, 303)
  return lastMicroId(app)
}

test('the shared timeline never carries one person\'s name, token, feed key, like, bookmark or own update to another', async (t) => {
  const app = await buildTestApp(t) // internal: everyone logged in
  const [kariUser, olaUser, perUser, edUser] = await Promise.all([
    makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'ola', displayName: 'Ola Nordmann' }),
    makeUser(app, { username: 'per', displayName: 'Per Hansen' }), makeUser(app, { username: 'eli', displayName: 'Eli Redaktør', role: 'editor' }),
  ])
  const [kari, ola, per, ed] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, olaUser), loggedIn(app, perUser), loggedIn(app, edUser)])
  const keys = new Map(await Promise.all([kariUser, olaUser, perUser].map(async (u) => [u.id, await feedKeyFor(app.db, app.config.sessionSecret, u.id)] as const)))
  const olas = await post(ola, app, 'Olas oppdatering')
  const olasHidden = await post(ola, app, 'Olas skjulte oppdatering')
  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString(), hidden_by: edUser.id, hidden_reason: 'Skjult-grunn-XYZ' }).where('id', '=', olasHidden).execute()
  const eds = await post(ed, app, 'Elis oppdatering')
  // Kari likes Ola's update and keeps Eli's for later.
  assert.equal((await kari.post(`/micro/${olas}/like`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)
  assert.equal((await kari.post(`/bookmarks/micro/${eds}`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)

  // Per first (his body is made), then Kari and Ola, then Per again from the shared body; twice round.
  for (let round = 0; round < 2; round++) {
    const p1 = (await per.get('/micro')).body
    const k = (await kari.get('/micro')).body
    const o = (await ola.get('/micro')).body
    const p2 = (await per.get('/micro')).body
    for (const [page, who, name] of [[p1, perUser, 'Per Hansen'], [k, kariUser, 'Kari Nordmann'], [o, olaUser, 'Ola Nordmann'], [p2, perUser, 'Per Hansen']] as const) {
      noMarker(page)
      assert.equal(userName(page), name)
      assert.deepEqual([...feedKeys(page)], [keys.get(who.id)], 'only their own feed key')
      assert.equal(tokens(page).size, 1)
      assert.doesNotMatch(page, /Olas skjulte oppdatering|Skjult-grunn-XYZ/, 'hidden updates are on nobody\'s timeline')
      assert.doesNotMatch(page, /\/moderation\/micro\/\d+\/hide/, 'no editor\'s tools for a reader')
    }
    for (const page of [p1, p2, o]) {
      assert.ok(!liked(page, olas), 'nobody else\'s like')
      assert.ok(!bookmarked(page, eds), 'nobody else\'s bookmark')
    }
    assert.ok(liked(k, olas), 'Kari\'s own like')
    assert.ok(bookmarked(k, eds), 'Kari\'s own bookmark')
    for (const page of [p1, p2, k]) assert.doesNotMatch(page, /\/micro\/\d+\/delete/, 'nobody else\'s delete button')
    assert.match(o, new RegExp(`action="/micro/${olas}/delete"`), 'Ola may delete his own update')
    for (const [a, b] of [[p1, k], [k, o], [o, p2]]) for (const tok of tokens(a!)) assert.ok(!tokens(b!).has(tok), 'never another person\'s token')
  }
  const e = (await ed.get('/micro')).body
  assert.match(e, /\/moderation\/micro\/\d+\/hide/, 'editors get their tools')
  assert.match(e, new RegExp(`action="/micro/${eds}/delete"`), 'and their own delete button')
  assert.ok(app.sharedBodies.size >= 1, 'the timeline\'s body was shared')

  // Kari takes her like back: her next page shows it, and no one else's changes.
  assert.equal((await kari.post(`/micro/${olas}/like`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)
  assert.ok(!liked((await kari.get('/micro')).body, olas))
  assert.equal((await ola.post(`/micro/${olas}/like`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)
  assert.ok(liked((await ola.get('/micro')).body, olas), 'Ola\'s own like')
  assert.ok(!liked((await kari.get('/micro')).body, olas))
  assert.ok(!liked((await per.get('/micro')).body, olas))
})

test('the next timeline page shows a new update, a hidden one, a role, a language and a deactivation', async (t) => {
  const app = await buildTestApp(t)
  const [kariUser, perUser, edUser] = await Promise.all([makeUser(app), makeUser(app, { displayName: 'Per Hansen' }), makeUser(app, { role: 'editor' })])
  const [kari, per, ed] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, perUser), loggedIn(app, edUser)])
  const read = async (c: Client) => (await c.get('/micro')).body
  for (const c of [per, ed, per, ed]) noMarker(await read(c))

  const id = await post(kari, app, 'Helt ny oppdatering')
  for (const c of [per, ed, per]) assert.match(await read(c), /Helt ny oppdatering/, 'a new update shows at once')
  assert.equal((await ed.post(`/moderation/micro/${id}/hide`, { reason: 'Ikke her' }, { from: `/moderation/micro/${id}/hide` })).statusCode, 303)
  for (const c of [per, ed, per]) assert.doesNotMatch(await read(c), /Helt ny oppdatering/, 'a hidden update goes at once')

  await post(kari, app, 'Enda en oppdatering')
  await app.db.updateTable('users').set({ is_editor: 1 }).where('id', '=', perUser.id).execute()
  assert.match(await read(per), /\/moderation\/micro\/\d+\/hide/, 'a new editor gets the tools at once')
  await app.db.updateTable('users').set({ is_editor: 0 }).where('id', '=', perUser.id).execute()
  assert.doesNotMatch(await read(per), /\/moderation\/micro\/\d+\/hide/, 'and loses them at once')

  await app.db.updateTable('users').set({ language: 'en' }).where('id', '=', perUser.id).execute()
  for (let i = 0; i < 2; i++) {
    assert.match(await read(per), /<html lang="en"/)
    assert.match(await read(kari), /<html lang="nb"/)
  }

  // A version of the guidelines to accept: Per's form asks for it; once accepted, no longer.
  const now = new Date().toISOString()
  const { id: version } = await app.db.insertInto('guideline_versions').values({ body_md: 'Vær snill.', body_html: '<p>Vær snill.</p>', created_at: now })
    .returning('id').executeTakeFirstOrThrow()
  for (const c of [per, kari, per]) assert.match(await read(c), new RegExp(`name="acceptGuidelines" value="${version}"`))
  await app.db.insertInto('guideline_acceptances').values({ user_id: perUser.id, version_id: version, accepted_at: now }).execute()
  assert.doesNotMatch(await read(per), /name="acceptGuidelines"/, 'accepted: no box')
  assert.match(await read(kari), /name="acceptGuidelines"/, 'Kari has yet to accept')

  await setActive(app.db, null, perUser.id, false)
  const gone = await per.get('/micro')
  assert.equal(gone.statusCode, 303, 'a deactivated person is logged out at once')
})

test('anonymous readers of a public site see a new and a hidden update on the next page', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const [kariUser, edUser] = await Promise.all([makeUser(app), makeUser(app, { role: 'editor' })])
  const [kari, ed] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, edUser)])
  const anon = async () => (await app.inject({ url: '/micro' })).body
  for (let i = 0; i < 3; i++) noMarker(await anon())
  const id = await post(kari, app, 'Offentlig oppdatering')
  assert.match(await anon(), /Offentlig oppdatering/)
  assert.match((await kari.get('/micro')).body, /Offentlig oppdatering/)
  assert.equal((await ed.post(`/moderation/micro/${id}/hide`, { reason: 'Ikke her' }, { from: `/moderation/micro/${id}/hide` })).statusCode, 303)
  assert.doesNotMatch(await anon(), /Offentlig oppdatering/)
  assert.doesNotMatch((await kari.get('/micro')).body, /Offentlig oppdatering/, 'hidden updates leave the timeline, the author\'s too')
})

test('an older timeline page shows one\'s own likes and bookmarks there, and nobody else\'s', async (t) => {
  const app = await buildTestApp(t)
  const [kariUser, olaUser] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'ola' })])
  const [kari, ola] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, olaUser)])
  const at = new Date().toISOString()
  await app.db.insertInto('micro_posts')
    .values(Array.from({ length: 33 }, (_, i) => ({ author_id: olaUser.id, body: `Oppdatering ${i}`, body_html: `<p>Oppdatering ${i}</p>`, created_at: at })))
    .execute()
  const [first, second] = (await app.db.selectFrom('micro_posts').select('id').orderBy('id').limit(2).execute()).map((r) => r.id) as [number, number]
  assert.equal((await kari.post(`/micro/${first}/like`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)
  assert.equal((await kari.post(`/bookmarks/micro/${second}`, { next: '/micro' }, { from: '/micro' })).statusCode, 303)
  const newest = (await kari.get('/micro')).body
  assert.ok(!newest.includes(`id="micro_${first}"`), 'the first page holds only the newest 30')
  const older = `/micro?before=${second + 1}`
  for (let round = 0; round < 2; round++) { // made for each, then from the shared body
    const k = (await kari.get(older)).body
    const o = (await ola.get(older)).body
    noMarker(k)
    assert.ok(liked(k, first) && bookmarked(k, second), 'Kari\'s like and bookmark on the older page')
    assert.ok(!liked(o, first) && !bookmarked(o, second), 'not on Ola\'s')
  }
})
