// `db copy --to postgres://…` moves a SQLite site into PostgreSQL: everything arrives, counts are
// compared, the audit trail verifies there, new rows get new ids, search works, and a database that
// already holds data is refused. Runs in the PostgreSQL pass (TEST_DATABASE_URL); skipped otherwise.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../src/app.js'
import { runCli } from '../../src/cli/main.js'
import { appendAuditEvent } from '../../src/audit/chain.js'
import { searchSite } from '../../src/search/service.js'
import { buildTestApp, makeTempDir, testConfig } from '../helpers/app.js'
import { freshEmptyPostgresDatabase, TEST_DATABASE_URL } from '../helpers/postgres.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost } from '../feeds/fixtures.js'

test('a SQLite site is copied into an empty PostgreSQL database, checked, and a second copy is refused', { skip: !TEST_DATABASE_URL && 'set TEST_DATABASE_URL (npm run test:postgres)' }, async (t) => {
  const site = await buildTestApp(t, { DATABASE_URL: '' }) // the SQLite site being moved
  const kari = await makeUser(site, { role: 'editor', displayName: 'Kari Økland' })
  const post = await insertPost(site, { author: kari, title: 'Flyttingen til Postgres', markdown: 'Åpen kildekode i kommunen.', tags: ['drift'] })
  await insertComment(site, { postId: post.id, author: kari, markdown: 'Endelig!' })
  await insertMicro(site, { author: kari, body: 'Flytter i kveld #drift' })
  for (let i = 0; i < 3; i++) await appendAuditEvent(site.db, { actor: { id: kari.id, name: 'Kari' }, action: 'post.edit', subjectType: 'post', subjectId: post.id })
  const users = await site.db.selectFrom('users').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow()

  const target = await freshEmptyPostgresDatabase()
  t.after(() => target.drop())
  const lines: string[] = []
  const errors: string[] = []
  const io = { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l), readStdin: async () => '', promptSecret: async () => undefined }
  const env = { DATA_DIR: site.config.dataDir, DATABASE_URL: '', SESSION_SECRET: 'y'.repeat(40) }
  assert.equal(await runCli(['db', 'copy', '--to', target.url], env, io), 0, errors.join('\n'))
  const out = lines.join('\n')
  assert.match(out, /copied users: \d+/)
  assert.match(out, /copied posts: 1\b/)
  assert.match(out, /Counts compared: (\d+) of \1 tables equal/)
  assert.match(out, /Search index rebuilt: 3 documents/)
  assert.match(out, /Audit trail intact in PostgreSQL: \d+ entries/)

  // The server on PostgreSQL: the same content, logins, search; a new row continues after the copied ids.
  const dir = await makeTempDir()
  const app = await buildApp(testConfig(dir, { DATABASE_URL: target.url }))
  t.after(() => app.close())
  assert.equal(app.database.kind, 'postgres')
  const c = await loggedIn(app, kari)
  const page = await c.get(`/posts/${post.slug}`)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Flyttingen til Postgres/)
  assert.deepEqual((await searchSite(app.db, { q: 'åpen', page: 1 })).groups.flatMap((g) => g.hits.map((h) => h.url)), [`/posts/${post.slug}`])
  const newcomer = await makeUser(app)
  assert.ok(newcomer.id > Number(users.max), 'the identity sequence continues after the copied ids')
  assert.equal((await runCli(['audit', 'verify'], { ...env, DATABASE_URL: target.url }, io)), 0)

  // A second copy into the now used database is refused, and changes nothing.
  errors.length = 0
  assert.equal(await runCli(['db', 'copy', '--to', target.url], env, io), 1)
  assert.match(errors.join('\n'), /refused: the target database is not empty/)
  assert.equal((await app.db.selectFrom('posts').select('id').execute()).length, 1)
})

test('db copy needs a postgres:// target and a SQLite source', async () => {
  const errors: string[] = []
  const io = { out: () => {}, err: (l: string) => errors.push(l), readStdin: async () => '', promptSecret: async () => undefined }
  const dir = await makeTempDir()
  assert.equal(await runCli(['db', 'copy'], { DATA_DIR: dir }, io), 2)
  assert.equal(await runCli(['db', 'copy', '--to', 'mysql://x/y'], { DATA_DIR: dir }, io), 2)
  assert.match(errors.join('\n'), /usage: db copy --to postgres:/)
})
