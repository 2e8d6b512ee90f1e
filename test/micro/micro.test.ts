import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { setActive } from '../../src/users/service.js'
import { postUpdate } from '../../src/micro/service.js'
import type { CurrentUser } from '../../src/users/user.js'

const micro = (app: FastifyInstance, id: number) => app.db.selectFrom('micro_posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const lastMicroId = async (app: FastifyInstance) =>
  (await app.db.selectFrom('micro_posts').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id
const notificationsOf = (app: FastifyInstance, userId: number) =>
  app.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute()
const asCurrent = (u: { id: number; username: string }, isEditor = false): CurrentUser =>
  ({ id: u.id, username: u.username, displayName: u.username, email: null, isEditor, isAdmin: false, language: null, sessionId: 'x' })

test('an update is posted, shown on the timeline with its links, and tagged', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const c = await loggedIn(app, kari)
  const res = await c.post('/micro', { body: '  Ny side: https://trondheim.kommune.no/ #Digitalisering #økonomi  ' }, { from: '/micro' })
  assert.equal(res.statusCode, 303)
  const id = await lastMicroId(app)
  assert.equal(res.headers.location, `/micro#micro_${id}`)
  const row = await micro(app, id)
  assert.equal(row.body, 'Ny side: https://trondheim.kommune.no/ #Digitalisering #økonomi', 'trimmed')
  assert.equal(row.root_id, id, 'a new thread starts at itself')

  const page = await c.get('/micro')
  assert.match(page.body, /Kari Nordmann/)
  assert.match(page.body, /<a href="https:\/\/trondheim.kommune.no\/" rel="noopener noreferrer ugc">/)
  assert.match(page.body, /<a href="\/tags\/digitalisering" class="hashtag">#Digitalisering<\/a>/)
  const tags = await app.db.selectFrom('tags').select(['name', 'micro_count']).orderBy('name').execute()
  assert.deepEqual(tags, [{ name: 'digitalisering', micro_count: 1 }, { name: 'økonomi', micro_count: 1 }])
  const links = await app.db.selectFrom('micro_tags').select('micro_id').execute()
  assert.equal(links.length, 2)
})

test('bad input comes back beside the field with the text kept; 500 emoji are fine', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const cases: [string, RegExp][] = [
    ['', /Skriv noe først/],
    [' \n\t  ', /Skriv noe først/],
    ['x'.repeat(501), /høyst 500 tegn/],
    ['\u0007\u0000\u0085', /Skriv noe først/], // control characters are removed from every form field alike
    ['\u200b\u200b \u2060', /Skriv noe først/], // only zero-width characters: nothing to see
    ['\u202e\u2066', /Skriv noe først/], // so are the overrides that make text display reversed
  ]
  for (const [body, message] of cases) {
    const res = await c.post('/micro', { body }, { from: '/micro' })
    assert.equal(res.statusCode, 422, JSON.stringify(body))
    assert.match(res.body, message)
    assert.match(res.body, /id="error_summary"/)
    assert.match(res.body, /aria-invalid="true"/)
  }
  const long = await c.post('/micro', { body: 'a'.repeat(501) }, { from: '/micro' })
  assert.match(long.body, />a{501}<\/textarea>/, 'the text is kept')
  assert.match(long.body, /1 tegn for mye/, 'the server says how far over it is')
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 0)

  const ok = await c.post('/micro', { body: '👍🏽'.repeat(500) }, { from: '/micro' })
  assert.equal(ok.statusCode, 303, '500 characters as a person counts them')
  const family = await c.post('/micro', { body: 'Familie: 👨‍👩‍👧' }, { from: '/micro' })
  assert.equal(family.statusCode, 303, 'emoji joined by zero-width joiners are fine')
})

test('a mention of a user that does not exist stays text and tells nobody', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const c = await loggedIn(app, kari)
  assert.equal((await c.post('/micro', { body: 'Hei @ingen og @per og @kari' }, { from: '/micro' })).statusCode, 303)
  const row = await micro(app, await lastMicroId(app))
  assert.match(row.body_html, /Hei @ingen og <a href="\/users\/per" class="mention">@per<\/a>/)
  assert.equal((await app.db.selectFrom('notifications').selectAll().execute()).length, 1, 'per only; not kari herself')
  const [n] = await notificationsOf(app, per.id)
  assert.equal(n?.kind, 'mention')
})

test('replies form a thread: context, counts, notifications; no reply to a deleted or hidden update', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const editor = await makeUser(app, { role: 'editor' })
  const k = await loggedIn(app, kari)
  const p = await loggedIn(app, per)
  await k.post('/micro', { body: 'Hvem kommer på fagdagen?' }, { from: '/micro' })
  const rootId = await lastMicroId(app)
  const res = await p.post(`/micro/${rootId}/reply`, { body: 'Jeg kommer!' }, { from: `/micro/${rootId}` })
  assert.equal(res.statusCode, 303)
  const replyId = await lastMicroId(app)
  assert.equal(res.headers.location, `/micro/${replyId}#micro_${replyId}`)
  const reply = await micro(app, replyId)
  assert.equal(reply.reply_to_id, rootId)
  assert.equal(reply.root_id, rootId)
  assert.equal((await micro(app, rootId)).reply_count, 1)
  const [n] = await notificationsOf(app, kari.id)
  assert.equal(n?.kind, 'micro.reply')

  // A reply to the reply stays in the same thread; the timeline shows whom it answers.
  await k.post(`/micro/${replyId}/reply`, { body: 'Flott, @per' }, { from: `/micro/${replyId}` })
  const third = await lastMicroId(app)
  assert.equal((await micro(app, third)).root_id, rootId)
  assert.equal((await notificationsOf(app, per.id)).length, 1, 'per is told once (reply), not twice (reply + mention)')
  const timeline = await k.get('/micro')
  assert.match(timeline.body, new RegExp(`<a href="/micro/${replyId}#micro_${replyId}">svar til @per</a>`))
  const thread = await k.get(`/micro/${third}`)
  assert.equal(thread.statusCode, 200)
  for (const id of [rootId, replyId, third]) assert.match(thread.body, new RegExp(`id="micro_${id}"`))
  assert.match(thread.body, new RegExp(`id="micro_${third}" aria-current="true"`))

  // Delete the middle one: the thread keeps its shape with a marker; replying to it is refused.
  await p.post(`/micro/${replyId}/delete`, { next: `/micro/${replyId}` }, { from: `/micro/${replyId}` })
  const after = await k.get(`/micro/${rootId}`)
  assert.match(after.body, /Denne oppdateringen er slettet/)
  assert.doesNotMatch(after.body, /Jeg kommer!/)
  assert.match(after.body, /Flott/)
  const toDeleted = await k.post(`/micro/${replyId}/reply`, { body: 'Hallo?' }, { from: `/micro/${rootId}` })
  assert.equal(toDeleted.statusCode, 409)
  assert.match(toDeleted.body, /slettet eller skjult/)
  assert.equal((await micro(app, rootId)).reply_count, 0)

  // Hidden by an editor: the same.
  const e = await loggedIn(app, editor)
  await e.post(`/moderation/micro/${rootId}/hide`, { reason: 'Feil sted' }, { from: `/moderation/micro/${rootId}/hide` })
  const toHidden = await p.post(`/micro/${rootId}/reply`, { body: 'Hallo?' }, { from: `/micro/${third}` })
  assert.equal(toHidden.statusCode, 409)
  const missing = await p.post('/micro/99999/reply', { body: 'Hallo?' }, { from: '/micro' })
  assert.equal(missing.statusCode, 404)
})

test('likes: one per user, undone by a second press, counted, and grouped in one notification', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const others = await Promise.all(['ola', 'per', 'siri'].map((username) => makeUser(app, { username, displayName: username.toUpperCase() })))
  const k = await loggedIn(app, kari)
  await k.post('/micro', { body: 'Lik meg' }, { from: '/micro' })
  const id = await lastMicroId(app)

  const ola = await loggedIn(app, others[0]!)
  const res = await ola.post(`/micro/${id}/like`, { next: '/micro?before=999' }, { from: '/micro' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/micro?before=999#micro_${id}`)
  assert.equal((await micro(app, id)).like_count, 1)
  assert.match((await ola.get('/micro')).body, /aria-pressed="true"/)
  await ola.post(`/micro/${id}/like`, {}, { from: '/micro' })
  assert.equal((await micro(app, id)).like_count, 0, 'pressing again takes the like back')
  assert.equal((await notificationsOf(app, kari.id)).length, 0, 'and the unread notice of it')
  for (const u of others) await (await loggedIn(app, u)).post(`/micro/${id}/like`, {}, { from: '/micro' })
  assert.equal((await micro(app, id)).like_count, 3)
  assert.equal((await app.db.selectFrom('micro_likes').selectAll().execute()).length, 3)

  const notes = await notificationsOf(app, kari.id)
  assert.equal(notes.length, 1, 'likes on one update share one unread notification')
  assert.equal(notes[0]!.actor_count, 3)
  const page = await k.get('/notifications')
  assert.match(page.body, /SIRI og 2 andre likte oppdateringen din/)
  assert.match((await k.get('/micro')).body, /3 liker dette/)
  // Siri takes hers back: the notice names the others, in its old place.
  const [before] = await notificationsOf(app, kari.id)
  await (await loggedIn(app, others[2]!)).post(`/micro/${id}/like`, {}, { from: '/micro' })
  const [after] = await notificationsOf(app, kari.id)
  assert.equal(after!.actor_count, 2)
  assert.equal(after!.updated_at, before!.updated_at)
  assert.match((await k.get('/notifications')).body, /PER og én annen likte oppdateringen din/)

  const bad = await ola.post('/micro/99999/like', {}, { from: '/micro' })
  assert.equal(bad.statusCode, 404)
})

test('only the author deletes an update; it leaves the timeline and its tags', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const k = await loggedIn(app, kari)
  await k.post('/micro', { body: 'Slett meg #vekk' }, { from: '/micro' })
  const id = await lastMicroId(app)
  for (const other of [per, editor]) {
    const res = await (await loggedIn(app, other)).post(`/micro/${id}/delete`, {}, { from: '/micro' })
    assert.equal(res.statusCode, 403)
  }
  assert.equal((await micro(app, id)).deleted_at, null)
  assert.doesNotMatch((await (await loggedIn(app, per)).get('/micro')).body, /micro\/\d+\/delete/, 'no delete button on others’ updates')
  const res = await k.post(`/micro/${id}/delete`, {}, { from: '/micro' })
  assert.equal(res.statusCode, 303)
  assert.ok((await micro(app, id)).deleted_at)
  assert.doesNotMatch((await k.get('/micro')).body, /Slett meg/)
  const tag = await app.db.selectFrom('tags').select('micro_count').where('name', '=', 'vekk').executeTakeFirstOrThrow()
  assert.equal(tag.micro_count, 0)
  assert.equal((await app.db.selectFrom('micro_tags').selectAll().execute()).length, 0)
  assert.equal((await k.post(`/micro/${id}/delete`, {}, { from: '/micro' })).statusCode, 303, 'deleting twice is harmless')
})

test('the timeline pages with a cursor that stays stable while new updates arrive', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const base = Date.now() - 3_600_000
  // Direct inserts: 35 updates, older than the posting window.
  for (let i = 1; i <= 35; i++) {
    const at = new Date(base + i * 1000).toISOString()
    const { id } = await app.db.insertInto('micro_posts')
      .values({ author_id: kari.id, body: `Nummer ${i}`, body_html: `<p>Nummer ${i}</p>`, created_at: at }).returning('id').executeTakeFirstOrThrow()
    await app.db.updateTable('micro_posts').set({ root_id: id }).where('id', '=', id).execute()
  }
  const c = await loggedIn(app, kari)
  const first = await c.get('/micro')
  assert.match(first.body, /Nummer 35</)
  assert.match(first.body, /Nummer 6</)
  assert.doesNotMatch(first.body, /Nummer 5</)
  const next = /href="\/micro\?before=(\d+)"/.exec(first.body)?.[1]
  assert.ok(next)
  await c.post('/micro', { body: 'Helt ny' }, { from: '/micro' })
  const second = await c.get(`/micro?before=${next}`)
  assert.match(second.body, /Nummer 5</)
  assert.match(second.body, /Nummer 1</)
  assert.doesNotMatch(second.body, /Nummer 6<|Helt ny/)
  assert.doesNotMatch(second.body, /href="\/micro\?before=/, 'no further page')
  assert.match(second.body, /href="\/micro">Nyeste oppdateringer/)
})

test('a person’s updates have their own page', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari' })
  const per = await makeUser(app, { username: 'per' })
  await postUpdate(app.db, asCurrent(kari), { body: 'Karis første' })
  await postUpdate(app.db, asCurrent(per), { body: 'Pers første' })
  const c = await loggedIn(app, per)
  const page = await c.get('/users/kari/updates')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1>Oppdateringer fra Kari<\/h1>/)
  assert.match(page.body, /Karis første/)
  assert.doesNotMatch(page.body, /Pers første/)
  const empty = await c.get(`/users/${(await makeUser(app, { username: 'tom', displayName: 'Tom' })).username}/updates`)
  assert.match(empty.body, /Tom har ikke skrevet noen oppdateringer ennå/)
  assert.equal((await c.get('/users/nobody/updates')).statusCode, 404)
})

test('a flood gets 429 with the text kept; the same text twice is refused', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const first = await c.post('/micro', { body: 'God morgen!' }, { from: '/micro' })
  assert.equal(first.statusCode, 303)
  const again = await c.post('/micro', { body: 'God morgen!' }, { from: '/micro' })
  assert.equal(again.statusCode, 422)
  assert.match(again.body, /akkurat det samme/)
  for (let i = 0; i < 9; i++) await postUpdate(app.db, asCurrent(kari), { body: `Melding ${i}` })
  const flood = await c.post('/micro', { body: 'Den ellevte' }, { from: '/micro' })
  assert.equal(flood.statusCode, 429)
  assert.match(flood.body, /Vent et minutt/)
  assert.match(flood.body, />Den ellevte<\/textarea>/)
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 10)
  // Another person is not affected.
  assert.equal((await (await loggedIn(app, await makeUser(app))).post('/micro', { body: 'Hei' }, { from: '/micro' })).statusCode, 303)
})

test('a deactivated user’s old session is sent to the login page and cannot post or like', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const p = await loggedIn(app, per)
  await p.post('/micro', { body: 'Lik denne' }, { from: '/micro' })
  const id = await lastMicroId(app)
  const k = await loggedIn(app, kari)
  await k.get('/micro')
  const token = k.csrf()
  await setActive(app.db, null, kari.id, false)
  const page = await k.get('/micro')
  assert.equal(page.statusCode, 303)
  assert.match(String(page.headers.location), /^\/login/)
  for (const [url, form] of [['/micro', { body: 'Jeg er her fortsatt' }], [`/micro/${id}/like`, {}], [`/report/micro/${id}`, { reason: 'x' }]] as const) {
    const res = await k.post(url, form, { csrf: token })
    assert.equal(res.statusCode, 303, url)
    assert.match(String(res.headers.location), /^\/login/)
  }
  assert.equal((await micro(app, id)).like_count, 0)
  // And the service refuses on its own, whatever the session says.
  await assert.rejects(postUpdate(app.db, asCurrent(kari), { body: 'Direkte' }), { statusCode: 403 })
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 1)
})

test('before the first update, the current guidelines are accepted in the same form; nothing typed is lost', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const now = new Date().toISOString()
  const { id: version } = await app.db.insertInto('guideline_versions').values({ body_md: 'Vær snill.', body_html: '<p>Vær snill.</p>', created_at: now })
    .returning('id').executeTakeFirstOrThrow()
  const c = await loggedIn(app, kari)
  const form = await c.get('/micro')
  assert.match(form.body, new RegExp(`<input type="checkbox" id="f_acceptGuidelines" name="acceptGuidelines" value="${version}"`))
  assert.match(form.body, /<label for="f_acceptGuidelines">Jeg har lest og godtar retningslinjene for bruk<\/label>/)

  // Without the box ticked, the text comes back with a message beside the box.
  const res = await c.post('/micro', { body: 'Hei på deg' })
  assert.equal(res.statusCode, 422)
  assert.match(res.body, /Kryss av for at du har lest og godtar retningslinjene/)
  assert.match(res.body, />Hei på deg<\/textarea>/)
  assert.match(res.body, /href="#f_acceptGuidelines"/, 'the error summary leads to the box')
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 0)
  // A box from a version replaced meanwhile does not count.
  assert.equal((await c.post('/micro', { body: 'Hei på deg', acceptGuidelines: String(version + 1) })).statusCode, 422)

  const ok = await c.post('/micro', { body: 'Hei på deg', acceptGuidelines: String(version) })
  assert.equal(ok.statusCode, 303)
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 1)
  const accepted = await app.db.selectFrom('guideline_acceptances').select(['user_id', 'version_id']).execute()
  assert.deepEqual(accepted, [{ user_id: kari.id, version_id: version }], 'the acceptance is recorded')
  assert.doesNotMatch((await c.get('/micro')).body, /acceptGuidelines/, 'and not asked again')
})

test('public mode: anyone reads the microblog, only a logged-in user posts', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const user = await makeUser(app)
  const author = await loggedIn(app, user)
  await author.post('/micro', { body: 'Hei fra #ikt' }, { from: '/micro' })
  const anon = new Client(app)
  const res = await anon.get('/micro')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Hei fra/)
  assert.doesNotMatch(res.body, /id="compose_form"/, 'no compose box for a reader who is not logged in')
  const post = await anon.post('/micro', { body: 'anonym' }, { from: '/login' })
  assert.equal(post.statusCode, 303)
  assert.match(String(post.headers.location), /^\/login/)
  const count = await app.db.selectFrom('micro_posts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  assert.equal(Number(count.n), 1)
})
