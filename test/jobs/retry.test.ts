// Scheduled publishing while another process writes: the job's transaction waits for the lock (and
// retries beyond SQLite's busy timeout); a run that fails anyway is run again soon, not a minute later.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import SQLite from 'better-sqlite3'
import { registerJobs } from '../../src/jobs/scheduler.js'
import { createPost } from '../../src/posts/service.js'
import { decide, submitForReview } from '../../src/editorial/service.js'
import { publishScheduledJob } from '../../src/editorial/jobs.js'
import { formatter } from '../../src/web/i18n/format.js'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, postRow, RULES } from '../posts/helpers.js'

test('a failed run is retried after the job\'s pauses, then the interval rules again', async (t) => {
  const runs: number[] = []
  // The job's lease lives in the database; the first run is the start-up one.
  await buildTestApp(t, {}, (app) => registerJobs(app, [{
    name: 'flaky', intervalMs: 3_600_000, retryAfterMs: [20, 20],
    async run() {
      runs.push(Date.now())
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })
    },
  }]))
  await sleep(1000)
  assert.equal(runs.length, 3, 'the first run and two retries, no more before the next tick')
})

test('scheduled publishing waits for another process\'s write, beyond the busy timeout', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const when = new Date(Date.now() + 86_400_000)
  const { id } = await createPost(app.db, asCurrent(author), { title: 'Planlagt', body: 'Tekst.', lead: '', tags: '', coverUploadId: null })
  await submitForReview(app.db, asCurrent(author), id, {}, RULES)
  await decide(app.db, asCurrent(editor, { isEditor: true }), id, 'schedule', { publishAt: formatter('nb').inputDateTime(when.toISOString()) }, RULES)

  // Another process writes and holds the lock for far longer than this connection's busy timeout.
  if (app.database.kind !== 'sqlite') return t.skip('SQLite locking')
  app.database.sqlite.pragma('busy_timeout = 50')
  const other = new SQLite(app.config.databaseFile)
  t.after(() => other.close())
  other.exec('BEGIN IMMEDIATE')
  other.prepare('update users set display_name = display_name').run()
  const publishing = publishScheduledJob.run(app, new Date(when.getTime() + 60_000))
  await sleep(800)
  // (Read on the other connection: the app's one connection is the job's while it waits.)
  assert.deepEqual(other.prepare('select status from posts where id = ?').get(id), { status: 'scheduled' }, 'still waiting')
  other.exec('COMMIT')
  await publishing
  assert.equal((await postRow(app, id)).status, 'published')
})
