// Several servers on one SQLite database (SQLITE_INSTANCES=shared): they start side by side, a write
// through one shows on the other's next page, a due scheduled job runs once; without the setting a
// server still refuses to start beside them, and the shared lock keeps an exclusive holder (a server
// that wants the database alone, a restore) out and is kept out by it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { buildApp } from '../../src/app.js'
import { startSession } from '../../src/auth/sessions.js'
import { loadConfig } from '../../src/config.js'
import { lockDatabase, ServerAlreadyRunning } from '../../src/db/server-lock.js'
import { decide, submitForReview } from '../../src/editorial/service.js'
import { createPost } from '../../src/posts/service.js'
import { formatter } from '../../src/web/i18n/format.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, auditOf, postRow, RULES } from '../posts/helpers.js'
import { killAtEnd, listening, start } from './processes.js'

test('SQLITE_INSTANCES is one or shared; one by default', () => {
  const env = { NODE_ENV: 'test', DATA_DIR: '/tmp/x' }
  assert.equal(loadConfig(env).sqliteInstances, 'one')
  assert.equal(loadConfig({ ...env, SQLITE_INSTANCES: 'shared' }).sqliteInstances, 'shared')
  assert.throws(() => loadConfig({ ...env, SQLITE_INSTANCES: 'many' }), /SQLITE_INSTANCES must be one of one, shared \(got "many"\)/)
})

test('the shared lock: beside other shared holders, never beside an exclusive one', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'betablogg.sqlite')
  const a = lockDatabase(file, { shared: true })
  const b = lockDatabase(file, { shared: true })
  assert.throws(() => lockDatabase(file), ServerAlreadyRunning, 'a server alone (or a restore) is refused beside shared servers')
  a.release()
  assert.throws(() => lockDatabase(file), /Another Betablogg server is already running.*SQLITE_INSTANCES=shared/s, 'while one shared holder is left')
  b.release()
  const alone = lockDatabase(file)
  assert.throws(() => lockDatabase(file, { shared: true }), /uses the database .* alone is running.*SQLITE_INSTANCES=shared/s)
  alone.release()
  lockDatabase(file, { shared: true }).release()
})

/** A logged-in browser: its session cookie plus the CSRF cookie and token from its first page. */
async function browser(base: string, session: string) {
  const first = await fetch(`${base}/micro`, { headers: { cookie: `betablogg=${session}` } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1]
  const secret = first.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('csrf='))
  assert.ok(csrf && secret, 'a CSRF token and its cookie')
  return { cookie: `betablogg=${session}; ${secret}`, csrf }
}

test('two servers share one SQLite database: a write through one shows on the other at once; a due job runs once; a third without the setting is refused', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))

  // A reader, and a post whose scheduled time has passed (as if the site had been down).
  const setup = await buildApp(testConfig(dir))
  const author = await makeUser(setup, { username: 'skribent' })
  const editor = await makeUser(setup, { username: 'redaktor', role: 'editor' })
  const session = await startSession(setup.db, setup.config, author.id, { ip: null, userAgent: null })
  const { id } = await createPost(setup.db, asCurrent(author), { title: 'Planlagt innlegg', body: 'Tekst.', lead: '', tags: '', coverUploadId: null })
  await submitForReview(setup.db, asCurrent(author), id, {}, RULES)
  await decide(setup.db, asCurrent(editor, { isEditor: true }), id, 'schedule', { publishAt: formatter('nb').inputDateTime(new Date(Date.now() + 86_400_000).toISOString()) }, RULES)
  await setup.db.updateTable('posts').set({ scheduled_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', id).execute()
  await setup.close()

  const env = { DATA_DIR: dir, SESSION_SECRET: 'z'.repeat(40), PORT: '0', HOST: '127.0.0.1' }
  const [one, two] = [start('src/server', [], { ...env, SQLITE_INSTANCES: 'shared' }), start('src/server', [], { ...env, SQLITE_INSTANCES: 'shared' })]
  killAtEnd(t, one, two)
  const [baseOne, baseTwo] = await Promise.all([listening(one), listening(two)])

  // Without the setting a server still refuses to start beside them.
  const alone = start('src/server', [], env)
  killAtEnd(t, alone)
  assert.equal(await alone.exited, 3, alone.output())
  assert.match(alone.output(), /Another Betablogg server is already running on the database .*betablogg\.sqlite/)

  // The second server's timeline is kept in its page cache; a write through the first shows at once.
  const reader = await browser(baseTwo, session)
  const before = await fetch(`${baseTwo}/micro`, { headers: { cookie: reader.cookie } })
  assert.doesNotMatch(await before.text(), /Skrevet gjennom den første/)
  const writer = await browser(baseOne, session)
  const wrote = await fetch(`${baseOne}/micro`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie: writer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ body: 'Skrevet gjennom den første instansen', _csrf: writer.csrf }),
  })
  assert.equal(wrote.status, 303)
  const after = await fetch(`${baseTwo}/micro`, { headers: { cookie: reader.cookie } })
  assert.match(await after.text(), /Skrevet gjennom den første instansen/, 'the other instance shows the update on its next page')

  // Both servers tried the job at start-up: one of them published the post, once.
  const check = await buildApp(testConfig(dir, { SQLITE_INSTANCES: 'shared' }))
  t.after(() => check.close())
  for (let i = 0; i < 100 && (await postRow(check, id)).status !== 'published'; i++) await new Promise((r) => setTimeout(r, 100))
  assert.equal((await postRow(check, id)).status, 'published')
  assert.equal((await auditOf(check, id)).filter((e) => e.action === 'post.publish').length, 1, 'published once')
  const logged = [one, two].filter((p) => /scheduled posts published/.test(p.output()))
  assert.equal(logged.length, 1, 'one server ran the due job')
  const lease = await check.db.selectFrom('job_leases').selectAll().where('name', '=', 'publish-scheduled-posts').executeTakeFirstOrThrow()
  assert.equal(lease.holder, null, 'the run is over')
  assert.equal(Date.parse(lease.next_run_at) - Date.parse(lease.last_started_at!), 60_000, 'the next run is due one interval after the one run')

  for (const p of [one, two]) p.child.kill('SIGTERM')
  assert.deepEqual(await Promise.all([one.exited, two.exited]), [0, 0])
})
