import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { commentCount, insertPost } from '../comments/helpers.js'
import { postUpdate } from '../../src/micro/service.js'
import { postComment } from '../../src/comments/service.js'
import { verifyAuditChain } from '../../src/audit/chain.js'
import type { CurrentUser } from '../../src/users/user.js'

const asCurrent = (u: { id: number; username: string }, isEditor = false): CurrentUser =>
  ({ id: u.id, username: u.username, displayName: u.username, email: null, isEditor, isAdmin: false, language: null, sessionId: 'x' })
const kinds = async (app: FastifyInstance, userId: number) =>
  (await app.db.selectFrom('notifications').select('kind').where('user_id', '=', userId).orderBy('id').execute()).map((n) => n.kind)

test('anyone logged in reports with a reason; editors see it in the queue with the reports', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per', displayName: 'Per Hansen' })
  const ola = await makeUser(app, { username: 'ola' })
  const editor = await makeUser(app, { role: 'editor' })
  const id = await postUpdate(app.db, asCurrent(kari), { body: 'Ring meg på 912 34 567' })

  const p = await loggedIn(app, per)
  const form = await p.get(`/report/micro/${id}`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /Ring meg på 912 34 567/)
  const empty = await p.post(`/report/micro/${id}`, { reason: '  ' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /Skriv hvorfor du rapporterer dette/)
  const res = await p.post(`/report/micro/${id}`, { reason: 'Telefonnummer' }, { from: `/report/micro/${id}` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/report/thanks?next=${encodeURIComponent(`/micro/${id}`)}`)
  assert.match((await p.get(String(res.headers.location))).body, /Takk for at du sa fra/)
  // Said before anything is written: the form is not offered again while the report waits.
  const again = await p.get(`/report/micro/${id}`)
  assert.equal(again.statusCode, 409)
  assert.match(again.body, /allerede rapportert/)
  const twice = await p.post(`/report/micro/${id}`, { reason: 'Igjen' }, { from: '/micro' })
  assert.equal(twice.statusCode, 409)
  assert.match(twice.body, /allerede rapportert/)
  await (await loggedIn(app, ola)).post(`/report/micro/${id}`, { reason: 'Personopplysninger' }, { from: `/report/micro/${id}` })

  const k = await loggedIn(app, kari)
  assert.equal((await k.get(`/report/micro/${id}`)).statusCode, 409, 'no form for reporting one\'s own update')
  const own = await k.post(`/report/micro/${id}`, { reason: 'Oi' }, { from: '/micro' })
  assert.equal(own.statusCode, 409)

  assert.deepEqual(await kinds(app, editor.id), ['moderation.reported'], 'two reports of one item: one grouped notification')
  const e = await loggedIn(app, editor)
  const queue = await e.get('/moderation')
  assert.equal(queue.statusCode, 200)
  assert.match(queue.body, /Rapportert \(1\)/)
  assert.match(queue.body, /Ring meg på 912 34 567/)
  assert.match(queue.body, /Per Hansen<\/a>, <time[^>]*>[^<]*<\/time>: <q>Telefonnummer<\/q>/)
  assert.match(queue.body, /<q>Personopplysninger<\/q>/)
  assert.match(queue.body, /Rapporter: 2/)
  assert.match((await e.get('/notifications')).body, /Test ola og én annen rapporterte en oppdatering: «Ring meg på 912 34 567»/)

  // Employees have no queue.
  assert.equal((await p.get('/moderation')).statusCode, 403)
})

test('an employee cannot hide anything; an editor hides with a reason, in the audit trail', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'forfatter' })
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const editor = await makeUser(app, { role: 'editor', username: 'red' })
  const post = await insertPost(app, author.id)
  const { id } = await postComment(app.db, asCurrent(kari), { postId: post.id, body: 'Dumme greier' })
  assert.equal(await commentCount(app, post.id), 1)

  const p = await loggedIn(app, per)
  assert.equal((await p.get(`/moderation/comment/${id}/hide`)).statusCode, 403)
  await p.get('/micro')
  assert.equal((await p.post(`/moderation/comment/${id}/hide`, { reason: 'Nei' })).statusCode, 403)
  assert.equal((await app.db.selectFrom('comments').select('hidden_at').where('id', '=', id).executeTakeFirstOrThrow()).hidden_at, null)

  const e = await loggedIn(app, editor)
  const noReason = await e.post(`/moderation/comment/${id}/hide`, { reason: '' }, { from: `/moderation/comment/${id}/hide` })
  assert.equal(noReason.statusCode, 422)
  assert.match(noReason.body, /Skriv en begrunnelse/)
  const res = await e.post(`/moderation/comment/${id}/hide`, { reason: 'Usaklig språk' }, { from: `/moderation/comment/${id}/hide` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/posts/${post.slug}#comment_${id}`)
  assert.equal(await commentCount(app, post.id), 0)
  const audit = await app.db.selectFrom('audit_events').selectAll().where('subject_type', '=', 'comment').execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.action, 'comment.hide')
  assert.equal(audit[0]!.actor_id, editor.id)
  assert.equal(audit[0]!.note, 'Usaklig språk')
  assert.match(audit[0]!.content_hash ?? '', /^[0-9a-f]{64}$/)
  assert.equal((await verifyAuditChain(app.db)).ok, true)
  assert.deepEqual(await kinds(app, kari.id), ['moderation.hidden'])
  const again = await e.post(`/moderation/comment/${id}/hide`, { reason: 'Igjen' }, { from: `/moderation/comment/${id}/hide` })
  assert.equal(again.statusCode, 409)

  const hiddenTab = await e.get('/moderation/hidden')
  assert.match(hiddenTab.body, /Dumme greier/)
  assert.match(hiddenTab.body, new RegExp(`/moderation/comment/${id}/restore`))
})

test('a hidden update: others see the marker, the author sees why; restoring brings it back', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const editor = await makeUser(app, { role: 'editor' })
  const id = await postUpdate(app.db, asCurrent(kari), { body: 'Noe upassende #tema' })
  const e = await loggedIn(app, editor)
  await e.post(`/moderation/micro/${id}/hide`, { reason: 'Brudd på retningslinjene', next: '/micro' }, { from: `/moderation/micro/${id}/hide` })
  const tag = () => app.db.selectFrom('tags').select('micro_count').where('name', '=', 'tema').executeTakeFirstOrThrow()
  assert.equal((await tag()).micro_count, 0)

  const other = await (await loggedIn(app, per)).get(`/micro/${id}`)
  assert.match(other.body, /Skjult av redaksjonen\./)
  assert.doesNotMatch(other.body, /Noe upassende|Brudd på retningslinjene/)
  assert.doesNotMatch((await (await loggedIn(app, per)).get('/micro')).body, /Noe upassende/)
  const k = await loggedIn(app, kari)
  const own = await k.get(`/micro/${id}`)
  assert.match(own.body, /Noe upassende/)
  assert.match(own.body, /Begrunnelse: Brudd på retningslinjene/)
  assert.match((await k.get('/notifications')).body, /Redaksjonen skjulte oppdateringen din «Noe upassende #tema»\. Begrunnelse: Brudd på retningslinjene/)
  const editorView = await e.get(`/micro/${id}`)
  assert.match(editorView.body, new RegExp(`/moderation/micro/${id}/restore`))

  const res = await e.post(`/moderation/micro/${id}/restore`, { reason: 'Ved nærmere ettersyn ok' }, { from: `/moderation/micro/${id}/restore` })
  assert.equal(res.statusCode, 303)
  assert.match((await (await loggedIn(app, per)).get(`/micro/${id}`)).body, /Noe upassende/)
  assert.equal((await tag()).micro_count, 1)
  const actions = await app.db.selectFrom('audit_events').select('action').where('subject_type', '=', 'micro').orderBy('id').execute()
  assert.deepEqual(actions.map((a) => a.action), ['micro.hide', 'micro.restore'])
  assert.deepEqual(await kinds(app, kari.id), ['moderation.hidden', 'moderation.restored'])
  assert.equal((await e.post(`/moderation/micro/${id}/restore`, { reason: 'x' }, { from: `/micro/${id}` })).statusCode, 409)
})

test('hiding from the queue settles the reports; keeping an item visible clears it from the queue', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const a = await postUpdate(app.db, asCurrent(kari), { body: 'Første' })
  const b = await postUpdate(app.db, asCurrent(kari), { body: 'Andre' })
  const p = await loggedIn(app, per)
  for (const id of [a, b]) await p.post(`/report/micro/${id}`, { reason: 'Spam' }, { from: `/report/micro/${id}` })
  const e = await loggedIn(app, editor)
  const queue = await e.get('/moderation')
  assert.match(queue.body, /Rapportert \(2\)/)
  const hide = await e.post(`/moderation/micro/${a}/hide`, { reason: 'Spam', next: '/moderation' }, { from: `/moderation/micro/${a}/hide?next=/moderation` })
  assert.equal(hide.headers.location, '/moderation')
  const item = await app.db.selectFrom('moderation_items').selectAll().where('subject_id', '=', b).executeTakeFirstOrThrow()
  const keep = await e.post(`/moderation/items/${item.id}/keep`, {}, { from: '/moderation' })
  assert.equal(keep.statusCode, 303)
  const after = await e.get('/moderation')
  assert.match(after.body, /Ingenting er rapportert/)
  const open = await app.db.selectFrom('reports').select('id').where('resolved_at', 'is', null).execute()
  assert.equal(open.length, 0)
  assert.equal((await e.post(`/moderation/items/${item.id}/keep`, {}, { from: '/moderation' })).statusCode, 409)
  const actions = await app.db.selectFrom('audit_events').select('action').where('subject_type', '=', 'micro').orderBy('id').execute()
  assert.deepEqual(actions.map((x) => x.action), ['micro.hide', 'micro.keep'])
  // A new report puts a cleared item back in the queue.
  const ola = await loggedIn(app, await makeUser(app))
  await ola.post(`/report/micro/${b}`, { reason: 'Likevel spam' }, { from: `/report/micro/${b}` })
  assert.match((await e.get('/moderation')).body, /Likevel spam/)
  // An author deleting a reported update settles it.
  await (await loggedIn(app, kari)).post(`/micro/${b}/delete`, {}, { from: '/micro' })
  assert.match((await e.get('/moderation')).body, /Ingenting er rapportert/)
})

test('hidden or deleted items cannot be reported, and unknown ones are 404', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const id = await postUpdate(app.db, asCurrent(kari), { body: 'Borte snart' })
  await app.db.updateTable('micro_posts').set({ deleted_at: new Date().toISOString() }).where('id', '=', id).execute()
  const p = await loggedIn(app, per)
  assert.equal((await p.get(`/report/micro/${id}`)).statusCode, 404)
  assert.equal((await p.get('/report/comment/4242')).statusCode, 404)
  assert.equal((await p.get('/report/post/1')).statusCode, 400, 'only updates and comments')
})
