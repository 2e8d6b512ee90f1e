import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildApp } from '../../src/app.js'
import { buildTestApp, makeTempDir, testConfig } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { createPost } from '../../src/posts/service.js'
import { decide, publishDuePosts, submitForReview } from '../../src/editorial/service.js'
import { publishScheduledJob } from '../../src/editorial/jobs.js'
import { formatter } from '../../src/web/i18n/format.js'
import { asCurrent, auditOf, postRow, RULES, writePost } from '../posts/helpers.js'

test('schedule: a past time is refused; the job publishes the post when its time comes, not before', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const c = await loggedIn(app, author)
  const { id } = await writePost(c, { title: 'Til fredag', tags: 'ikt' })
  await c.post(`/posts/${id}/submit`, {}, { from: `/posts/${id}/submit` })
  const editor = await makeUser(app, { role: 'editor' })
  const ed = await loggedIn(app, editor)
  await ed.get(`/editorial/posts/${id}`)
  const past = await ed.post(`/editorial/posts/${id}/decide`, { decision: 'schedule', publishAt: '2020-01-01T10:00', scheduleNote: 'Gammel' })
  assert.equal(past.statusCode, 422)
  assert.match(past.body, /id="f_publishAt-error">Tidspunktet har allerede vært/)
  assert.match(past.body, /value="2020-01-01T10:00"/, 'the input is kept')
  assert.match(past.body, />Gammel<\/textarea>/)
  const garbage = await ed.post(`/editorial/posts/${id}/decide`, { decision: 'schedule', publishAt: 'i morgen' })
  assert.match(garbage.body, /Skriv en dato og et klokkeslett/)

  const when = new Date(Date.now() + 2 * 86_400_000)
  const local = formatter('nb').inputDateTime(when.toISOString())
  const ok = await ed.post(`/editorial/posts/${id}/decide`, { decision: 'schedule', publishAt: local, scheduleNote: 'Publiseres fredag.' })
  assert.equal(ok.statusCode, 303)
  let row = await postRow(app, id)
  assert.equal(row.status, 'scheduled')
  const scheduledAt = row.scheduled_at!
  assert.equal(scheduledAt.slice(0, 16), new Date(Math.floor(when.getTime() / 60_000) * 60_000).toISOString().slice(0, 16))
  assert.match((await ed.get('/editorial')).body, /Planlagte innlegg[\s\S]*Til fredag/)
  // A scheduled post is not described as published: the editor can take it off the schedule.
  const page = await ed.get(`/posts/${row.slug}`)
  assert.match(page.body, /<summary>Ta av planen<\/summary>/)
  assert.match(page.body, /Innlegget blir ikke publisert\./)
  assert.doesNotMatch(page.body, /Avpubliser/)

  assert.equal(await publishDuePosts(app.db, new Date(Date.parse(scheduledAt) - 60_000)), 0, 'not yet')
  assert.equal((await postRow(app, id)).status, 'scheduled')
  await publishScheduledJob.run(app, new Date(Date.parse(scheduledAt) + 1000))
  row = await postRow(app, id)
  assert.equal(row.status, 'published')
  assert.equal(row.published_at, scheduledAt, 'published as of its scheduled time')
  assert.equal((await app.db.selectFrom('tags').select('post_count').where('name', '=', 'ikt').executeTakeFirstOrThrow()).post_count, 1)
  const events = await auditOf(app, id)
  assert.deepEqual(events.slice(-2).map((e) => [e.action, e.from_state, e.to_state, e.actor_name]), [
    ['post.schedule', 'submitted', `scheduled@${scheduledAt}`, editor.username],
    ['post.publish', 'scheduled', 'published', 'system'],
  ])
  assert.equal(events.at(-2)!.note, 'Publiseres fredag.')
  assert.equal(events.at(-1)!.content_hash, events.at(-2)!.content_hash, 'what was approved is what went live')
  assert.equal(await publishDuePosts(app.db, new Date(Date.parse(scheduledAt) + 5000)), 0, 'published once')
})

test('overdue scheduled posts are published when the server starts again', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const first = await buildApp(testConfig(dir))
  const author = await makeUser(first)
  const editor = await makeUser(first, { role: 'editor' })
  const a = asCurrent(author)
  const { id } = await createPost(first.db, a, { title: 'Mens serveren sov', body: 'Tekst.', lead: '', tags: '', coverUploadId: null })
  await submitForReview(first.db, a, id, {}, RULES)
  const soon = new Date(Date.now() + 3_600_000)
  await decide(first.db, asCurrent(editor, { isEditor: true }), id, 'schedule', { publishAt: formatter('nb').inputDateTime(soon.toISOString()) }, RULES)
  // The server is down when the time comes.
  await first.db.updateTable('posts').set({ scheduled_at: new Date(Date.now() - 3_600_000).toISOString() }).where('id', '=', id).execute()
  await first.close()

  const second = await buildApp(testConfig(dir))
  t.after(() => second.close())
  await second.ready() // the scheduler runs every job once at start-up
  let status = ''
  for (let i = 0; i < 100 && status !== 'published'; i++) {
    status = (await postRow(second, id)).status
    if (status !== 'published') await sleep(50)
  }
  assert.equal(status, 'published')
})
