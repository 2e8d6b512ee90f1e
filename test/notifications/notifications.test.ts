import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertPost } from '../comments/helpers.js'
import { notify, notifyEditors } from '../../src/notifications/service.js'
import { sendQueueReminders } from '../../src/notifications/queue-reminders.js'
import { describeNotification } from '../../src/notifications/describe.js'
import { translator } from '../../src/web/i18n/index.js'
import { setActive } from '../../src/users/service.js'

const rows = (app: FastifyInstance, userId: number) =>
  app.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute()

test('notify skips the actor, deactivated accounts and kinds turned off; groups likes', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const gone = await makeUser(app)
  await setActive(app.db, null, gone.id, false)
  const like = (actorId: number) => notify(app.db, kari.id, { kind: 'micro.like', actorId, subjectType: 'micro', subjectId: 7, data: { snippet: 'Hei' } })

  await notify(app.db, kari.id, { kind: 'mention', actorId: kari.id, subjectType: 'micro', subjectId: 1 })
  await notify(app.db, gone.id, { kind: 'mention', actorId: kari.id, subjectType: 'micro', subjectId: 1 })
  assert.equal((await rows(app, kari.id)).length + (await rows(app, gone.id)).length, 0)

  await like(per.id)
  await like(per.id)
  await like(gone.id)
  const [grouped, ...rest] = await rows(app, kari.id)
  assert.equal(rest.length, 0)
  assert.equal(grouped!.actor_count, 2, 'the same person twice counts once')
  assert.equal(grouped!.actor_id, gone.id, 'the latest actor leads the sentence')

  // Once read, the next like starts a new notification.
  await app.db.updateTable('notifications').set({ read_at: new Date().toISOString() }).execute()
  await like(per.id)
  assert.equal((await rows(app, kari.id)).length, 2)

  const c = await loggedIn(app, kari)
  await c.post('/settings/notifications', { kinds: ['mention', 'micro.reply'] }, { from: '/settings/notifications' })
  const optouts = await app.db.selectFrom('notification_optouts').select('kind').where('user_id', '=', kari.id).orderBy('kind').execute()
  assert.deepEqual(optouts.map((o) => o.kind), ['comment.reply', 'editorial.decision', 'follow', 'micro.like', 'post.comment', 'post.review'])
  await notify(app.db, kari.id, { kind: 'post.comment', actorId: per.id, subjectType: 'comment', subjectId: 3, data: { title: 'T', slug: 't' } })
  await notify(app.db, kari.id, { kind: 'mention', actorId: per.id, subjectType: 'micro', subjectId: 3 })
  await notify(app.db, kari.id, { kind: 'moderation.hidden', actorId: per.id, subjectType: 'micro', subjectId: 3, data: { reason: 'x' } })
  const kindsNow = (await rows(app, kari.id)).map((r) => r.kind)
  assert.deepEqual(kindsNow.slice(2), ['mention', 'moderation.hidden'], 'turned-off kinds are skipped; moderation decisions always arrive')

  const prefs = await c.get('/settings/notifications?saved=1')
  assert.match(prefs.body, /Varselinnstillingene er lagret/)
  assert.match(prefs.body, /id="kind_mention" name="kinds" value="mention" checked/)
  assert.match(prefs.body, /id="kind_post_comment" name="kinds" value="post.comment">/)
  assert.doesNotMatch(prefs.body, /editorial.submitted/, 'editor kinds are only offered to editors')
  const unknown = await c.post('/settings/notifications', { kinds: 'editorial.submitted' }, { from: '/settings/notifications' })
  assert.equal(unknown.statusCode, 409)
})

test('the header shows the unread count; mark one and mark all as read', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const per = await makeUser(app, { displayName: 'Per' })
  for (const subjectId of [1, 2, 3]) await notify(app.db, kari.id, { kind: 'micro.reply', actorId: per.id, subjectType: 'micro', subjectId, data: { snippet: `svar ${subjectId}` } })
  const c = await loggedIn(app, kari)
  const page = await c.get('/notifications')
  assert.match(page.body, /<a href="\/notifications" class="notif-link"( aria-current="page")?>Varsler <span class="badge">3<span class="visually-hidden"> uleste<\/span>/)
  assert.match(page.body, /<a href="\/micro\/2#micro_2">Per svarte på oppdateringen din: «svar 2»<\/a>/)
  const first = (await rows(app, kari.id))[0]!
  const res = await c.post(`/notifications/${first.id}/read`, { next: '/notifications' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/notifications#notification_${first.id}`)
  assert.match((await c.get('/micro')).body, /class="badge">2</)

  // Someone else's notification cannot be marked.
  const other = await loggedIn(app, per)
  await notify(app.db, per.id, { kind: 'mention', actorId: kari.id, subjectType: 'micro', subjectId: 1 })
  const perNote = (await rows(app, per.id))[0]!
  await c.post(`/notifications/${perNote.id}/read`, {}, { from: '/notifications' })
  assert.equal((await rows(app, per.id))[0]!.read_at, null)
  void other

  const all = await c.post('/notifications/read-all', {}, { from: '/notifications' })
  assert.equal(all.headers.location, '/notifications?notice=notif.allRead')
  const after = await c.get('/notifications?notice=notif.allRead')
  assert.doesNotMatch(after.body, /class="badge"/)
  assert.match(after.body, /Alle varsler er merket som lest/)
  assert.doesNotMatch(after.body, /Merk alle som lest/)
})

test('the unread badge stops counting at 99+', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const now = new Date().toISOString()
  await app.db.insertInto('notifications').values(Array.from({ length: 120 }, (_, i) => ({
    user_id: kari.id, kind: 'mention', subject_type: 'micro', subject_id: i + 1, created_at: now, updated_at: now,
  }))).execute()
  const c = await loggedIn(app, kari)
  const page = await c.get('/notifications')
  assert.match(page.body, /class="badge">99\+</)
  const next = /href="\/notifications\?before=(\d+)"/.exec(page.body)?.[1]
  assert.ok(next, 'the list is paginated')
  assert.equal((await c.get(`/notifications?before=${next}`)).statusCode, 200)
  // Page after page, each older than the last, every notification once (the same time: by id).
  const subjects = (html: string) => [...html.matchAll(/href="\/micro\/(\d+)#micro_/g)].map((m) => Number(m[1]))
  const seen: number[] = subjects(page.body)
  for (let before: string | undefined = next; before;) {
    const older = await c.get(`/notifications?before=${before}`)
    const ids = subjects(older.body)
    assert.ok(ids.length && Math.max(...ids) < Math.min(...seen), 'the next page holds older ones only')
    seen.push(...ids)
    before = /href="\/notifications\?before=(\d+)"/.exec(older.body)?.[1]
  }
  assert.deepEqual(seen, Array.from({ length: 120 }, (_, i) => 120 - i))
})

test('editors are told about submissions (except the one who acted) and reminded of waiting posts once a day', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const red1 = await makeUser(app, { role: 'editor' })
  const red2 = await makeUser(app, { role: 'editor' })
  const post = await insertPost(app, author.id, { title: 'Venter', status: 'submitted', submittedAt: '2026-03-01T08:00:00.000Z' })
  await notifyEditors(app.db, { kind: 'editorial.submitted', actorId: red1.id, subjectType: 'post', subjectId: post.id, data: { title: 'Venter' } }, red1.id)
  assert.deepEqual((await rows(app, red1.id)).length, 0)
  assert.deepEqual((await rows(app, red2.id)).map((r) => r.kind), ['editorial.submitted'])
  await app.db.deleteFrom('notifications').execute()
  await insertPost(app, author.id, { title: 'Fersk', status: 'submitted', submittedAt: '2026-03-04T07:00:00.000Z' })

  // 3 days: nothing yet at 2026-03-04 07:59 Oslo time; then once.
  assert.equal(await sendQueueReminders(app.db, 3, new Date('2026-03-04T06:59:00.000Z')), 0)
  assert.equal(await sendQueueReminders(app.db, 3, new Date('2026-03-04T09:00:00.000Z')), 1)
  assert.equal(await sendQueueReminders(app.db, 3, new Date('2026-03-04T21:00:00.000Z')), 0, 'not twice the same day')
  for (const ed of [red1, red2]) {
    const notes = await rows(app, ed.id)
    assert.equal(notes.length, 1)
    assert.equal(notes[0]!.kind, 'editorial.reminder')
    assert.match(describeNotification({ ...notes[0]!, actor_name: null }, translator('nb')).text, /«Venter» har ventet på vurdering i 3 dager/)
  }
  // The next day (Oslo): again; still unread, so the same notification is brought to the top.
  assert.equal(await sendQueueReminders(app.db, 3, new Date('2026-03-05T09:00:00.000Z')), 1)
  const notes = await rows(app, red2.id)
  assert.equal(notes.length, 1)
  assert.match(notes[0]!.data, /"days":4/)
  assert.equal(notes[0]!.updated_at, '2026-03-05T09:00:00.000Z')
  // Published (the editorial service takes it out of the queue): no more reminders.
  await app.db.updateTable('posts').set({ status: 'published', queued_at: null }).where('id', '=', post.id).execute()
  assert.equal(await sendQueueReminders(app.db, 3, new Date('2026-03-06T09:00:00.000Z')), 0)
})

test('every kind reads as a sentence with a link', () => {
  const t = translator('en')
  const base = { actor_name: 'Kari', actor_count: 1, subject_id: 5 }
  const cases: [string, string, Record<string, string | number>, RegExp, string][] = [
    ['mention', 'micro', { snippet: 'hi' }, /^Kari mentioned you in an update: “hi”$/, '/micro/5#micro_5'],
    ['post.comment', 'comment', { title: 'T', slug: 't', snippet: 'nice' }, /^Kari commented on your post “T”: “nice”$/, '/posts/t#comment_5'],
    ['editorial.decision', 'post', { title: 'T', decision: 'published', slug: 't' }, /^Your post “T” has been published$/, '/posts/t'],
    ['editorial.decision', 'post', { title: 'T', decision: 'changes_requested' }, /ask for changes/, '/my/posts'],
    ['editorial.decision', 'post', { title: 'T', decision: 'request-changes' }, /ask for changes/, '/my/posts'],
    ['editorial.decision', 'post', { title: 'T', decision: 'reject' }, /^Your post “T” was not approved$/, '/my/posts'],
    ['editorial.decision', 'post', { title: 'T', decision: 'odd', href: '//evil.example' }, /made a decision/, '/'],
    ['editorial.submitted', 'post', { title: 'T' }, /^Kari submitted “T” for review$/, '/editorial'],
    ['moderation.reported', 'comment', { title: 'T', slug: 't' }, /^Kari reported a comment on “T”$/, '/moderation'],
  ]
  for (const [kind, subject_type, data, text, href] of cases) {
    const d = describeNotification({ ...base, kind, subject_type, data: JSON.stringify(data) }, t)
    assert.match(d.text, text, kind)
    assert.equal(d.href, href, kind)
  }
  const likes = describeNotification({ ...base, actor_count: 4, kind: 'micro.like', subject_type: 'micro', data: '{"snippet":"x"}' }, t)
  assert.equal(likes.text, 'Kari and 3 others liked your update “x”')
})
