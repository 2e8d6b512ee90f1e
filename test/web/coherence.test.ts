// Cached pages are never stale: every kind of change that must show at once does so on the next page,
// for anonymous and logged-in readers alike, whether it is made through this app, behind its back (a
// job), by a second app instance on the same database, or by the CLI in a process of its own.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import SQLite from 'better-sqlite3'
import { Kysely, sql, SqliteDialect } from 'kysely'
import { buildApp } from '../../src/app.js'
import { sqliteChangeFeed } from '../../src/coherence/sqlite.js'
import { sharedSync } from '../../src/coherence/shared-look.js'
import type { DB } from '../../src/db/schema.js'
import { runCli } from '../../src/cli/main.js'
import { buildTestApp, makeTempDir, testConfig } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { insertMicro, insertPost, makePublic } from '../feeds/fixtures.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Both readers load the page twice (the second answer is a kept copy), then the check runs on the next one. */
async function warm(readers: Client[], url: string) {
  for (const r of readers) for (let i = 0; i < 2; i++) assert.equal((await r.get(url)).statusCode, 200, url)
}

async function everyone(readers: Client[], url: string, check: (body: string, who: string) => void) {
  for (const [i, r] of readers.entries()) {
    const res = await r.get(url)
    check(res.body, i === 0 ? 'anonymous reader' : 'logged-in reader')
  }
}

async function site(app: FastifyInstance) {
  const kari = await makeUser(app, { displayName: 'Kari Leser' })
  const ola = await makeUser(app, { displayName: 'Ola Skriver' })
  await makePublic(app)
  const post = await insertPost(app, { author: ola, title: 'Kantina åpner' })
  return { kari, ola, post }
}

test('each change shows on the next page, for anonymous and logged-in readers (one instance)', async (t) => {
  const app = await buildTestApp(t)
  const { kari, ola, post } = await site(app)
  const anon = new Client(app)
  const reader = await loggedIn(app, kari)
  const readers = [anon, reader]

  // Publish (as the scheduled-publishing job does: no request).
  await warm(readers, '/')
  await insertPost(app, { author: ola, title: 'Nytt om budsjettet' })
  await everyone(readers, '/', (body, who) => assert.match(body, /Nytt om budsjettet/, who))

  // A new comment, through the app, by someone else.
  const url = `/posts/${post.slug}`
  await warm(readers, url)
  const writer = await loggedIn(app, ola)
  const sent = await writer.post('/comments', { postId: String(post.id), body: 'Gleder meg til lunsj' }, { from: url })
  assert.equal(sent.statusCode, 303)
  await everyone(readers, url, (body, who) => assert.match(body, /Gleder meg til lunsj/, who))

  // Hide (moderation sets hidden_at).
  const micro = await insertMicro(app, { author: ola, body: 'Noe som må skjules' })
  await warm(readers, '/micro')
  await everyone(readers, '/micro', (body, who) => assert.match(body, /Noe som må skjules/, who))
  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString(), hidden_reason: 'test' }).where('id', '=', micro).execute()
  await everyone(readers, '/micro', (body, who) => assert.doesNotMatch(body, /Noe som må skjules/, who))

  // Language: the anonymous reader's choice (cookie) and the logged-in reader's profile.
  await warm(readers, '/')
  assert.equal((await anon.post('/language', { lang: 'en', next: '/' }, { from: '/language' })).statusCode, 303)
  assert.match((await anon.get('/')).body, /<html lang="en"/)
  const saved = await reader.post('/settings/profile', { displayName: 'Kari Leser', email: '', bio: '', language: 'nn' }, { from: '/settings' })
  assert.equal(saved.statusCode, 303)
  assert.match((await reader.get('/')).body, /<html lang="nn"/)

  // Role change: the new editor's header links the editorial queue at once.
  await warm([reader], '/')
  assert.doesNotMatch((await reader.get('/')).body, /href="\/editorial"/)
  await app.db.updateTable('users').set({ is_editor: 1 }).where('id', '=', kari.id).execute()
  assert.match((await reader.get('/')).body, /href="\/editorial"/)

  // Deactivation: the next page is no longer theirs.
  await app.db.updateTable('users').set({ is_active: 0 }).where('id', '=', kari.id).execute()
  const after = await reader.get('/')
  assert.doesNotMatch(after.body, /Kari Leser/)
  assert.match(after.body, /href="\/login"/)
})

test('a comment keeps the other pages: only what shows it is made again', async (t) => {
  let renders = 0
  const app = await buildTestApp(t, {}, (a) => a.addHook('preHandler', async () => void renders++))
  const { ola, post } = await site(app)
  const other = await insertPost(app, { author: ola, title: 'Et annet innlegg' })
  const anon = new Client(app)
  await warm([anon], `/posts/${other.slug}`)
  await warm([anon], '/micro')
  await insertCommentThroughApp(app, ola, post)
  const before = renders
  await anon.get(`/posts/${other.slug}`)
  await anon.get('/micro')
  assert.equal(renders, before, 'the other post and the timeline come from the cache')
  await anon.get(`/posts/${post.slug}`)
  assert.equal(renders, before + 1, 'the commented post is made again')
})

test('list pages name the posts and updates they show: changes elsewhere keep them, a change to what they show makes them again', async (t) => {
  let renders = 0
  const app = await buildTestApp(t, {}, (a) => a.addHook('preHandler', async () => void renders++))
  const { kari, ola, post } = await site(app)
  // Kari's post is older than a page of the front page and has no tag: no list below shows it.
  const unseen = await insertPost(app, { author: kari, title: 'Eldre innlegg', publishedAt: '2020-01-01T10:00:00Z' })
  for (let i = 0; i < 20; i++) await insertPost(app, { author: ola, title: `Innlegg nummer ${i}` })
  const tagged = await insertPost(app, { author: ola, title: 'Ny meny i kantina', tags: ['kantine'] })
  const update = await insertMicro(app, { author: ola, body: 'Vafler i kantina i dag', tags: ['kantine'] })
  const elsewhere = await insertMicro(app, { author: ola, body: 'Noe helt annet' })
  const anon = new Client(app)
  const readers = [anon, await loggedIn(app, kari)]
  const pages = ['/', '/tags/kantine', `/users/${ola.username}`]
  for (const url of pages) await warm(readers, url)
  const unchanged = async (why: string) => {
    const before = renders
    for (const url of pages) assert.equal((await anon.get(url)).statusCode, 200)
    assert.equal(renders, before, why)
  }

  // A comment on a post none of them shows; an update without the tag, and a like of it.
  await insertCommentThroughApp(app, ola, unseen)
  await unchanged('a comment on a post not shown keeps the front page, the tag archive and the profile')
  await app.db.insertInto('micro_likes').values({ micro_id: elsewhere, user_id: kari.id, created_at: new Date().toISOString() }).execute()
  await insertMicro(app, { author: kari, body: 'Enda en oppdatering' })
  await unchanged('an update without the tag, and a like of one, keep the tag archive')

  // A comment on a post they show: its count, on the next page, for every reader.
  await insertCommentThroughApp(app, kari, tagged)
  for (const url of pages) await everyone(readers, url, (body, who) => assert.equal(/Ny meny i kantina[\s\S]*?Kommentarer: (\d+)/.exec(body)?.[1], '1', `${url}, ${who}`))
  // An update tagged, and the tag's update hidden: the tag archive at once.
  await insertMicro(app, { author: kari, body: 'Suppe i morgen', tags: ['kantine'] })
  await everyone(readers, '/tags/kantine', (body, who) => assert.match(body, /Suppe i morgen/, who))
  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString(), hidden_reason: 'test' }).where('id', '=', update).execute()
  await everyone(readers, '/tags/kantine', (body, who) => assert.doesNotMatch(body, /Vafler i kantina/, who))
  // Restored: not on the page that was kept, yet it belongs there.
  await app.db.updateTable('micro_posts').set({ hidden_at: null, hidden_reason: null }).where('id', '=', update).execute()
  await everyone(readers, '/tags/kantine', (body, who) => assert.match(body, /Vafler i kantina/, who))
  void post
})

async function insertCommentThroughApp(app: FastifyInstance, author: TestUser, post: { id: number; slug: string }) {
  const c = await loggedIn(app, author)
  const res = await c.post('/comments', { postId: String(post.id), body: 'En kommentar' }, { from: `/posts/${post.slug}` })
  assert.equal(res.statusCode, 303)
}

test('a second instance and the CLI on the same database: the first shows their changes at once', async (t) => {
  const dir = await makeTempDir()
  const env = { NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(40) }
  const first = await buildApp(testConfig(dir))
  const second = await buildApp(testConfig(dir))
  t.after(async () => {
    await first.close()
    await second.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  const { kari, ola, post } = await site(first)
  const anon = new Client(first)
  const reader = await loggedIn(first, kari)
  const readers = [anon, reader]

  // Content published and commented through the second instance.
  await warm(readers, '/')
  await insertPost(second, { author: ola, title: 'Fra den andre instansen' })
  await everyone(readers, '/', (body, who) => assert.match(body, /Fra den andre instansen/, who))
  const url = `/posts/${post.slug}`
  await warm(readers, url)
  await insertCommentThroughApp(second, ola, post)
  await everyone(readers, url, (body, who) => assert.match(body, /En kommentar/, who))

  // A role changed with the CLI, in a process of its own.
  await warm([reader], '/')
  const code = await new Promise<number | null>((resolve, reject) => {
    // The CLI as this test runs: TypeScript through tsx, or the compiled build.
    const cli = spawn(process.execPath, [...process.execArgv, `src/cli/main${path.extname(fileURLToPath(import.meta.url))}`, 'user', 'role', kari.username, 'editor'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' })
    cli.on('error', reject)
    cli.on('exit', resolve)
  })
  assert.equal(code, 0)
  assert.match((await reader.get('/')).body, /href="\/editorial"/)

  // The site closed by the second instance's administrator: the first sends anonymous readers to log in.
  await warm([anon], '/')
  await second.settings.update({ visibility: 'internal' }, null)
  assert.equal((await anon.get('/')).statusCode, 303)

  // Deactivated with the CLI (its own connection): the session ends on the next page.
  const io = { out: () => {}, err: () => {}, readStdin: async () => '', promptSecret: async () => '' }
  assert.equal(await runCli(['user', 'deactivate', kari.username], env, io), 0)
  const res = await reader.get('/')
  assert.equal(res.statusCode, 303)
  assert.match(String(res.headers.location), /^\/login/)
})

test('the SQLite feed sees every commit, by another connection or its own, through a WAL restart; without WAL, by statements', async (t) => {
  const dir = await makeTempDir()
  const app = await buildApp(testConfig(dir))
  const other = new SQLite(app.config.databaseFile) // as another process's connection would
  const plainFile = path.join(dir, 'rollback-journal.sqlite')
  const plain = new SQLite(plainFile)
  const plainOther = new SQLite(plainFile)
  t.after(async () => {
    for (const c of [other, plain, plainOther]) c.close()
    await app.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  const log = (c: SQLite.Database, scope: string) => c.prepare('insert into cache_changes (scope) values (?)').run(scope)
  const feed = app.changes
  const start = feed.sync()
  assert.ok(app.database.kind === 'sqlite')
  assert.equal(sqliteChangeFeed(app.database.sqlite, app.db, undefined, app.database.whenClosed).looksAt, 'wal-index', "the app's feed reads the WAL-index header")

  log(other, 'probe:a')
  const a = feed.sync()
  assert.ok(a > start && feed.lastChange(['probe:a']) === a, "another connection's commit is seen at once")
  assert.equal(feed.sync(), a, 'nothing committed since: the same number')
  await sql`insert into cache_changes (scope) values ('probe:b')`.execute(app.db)
  const b = feed.sync()
  assert.ok(b > a && feed.lastChange(['probe:b']) === b, "this process's own commit")
  // A checkpoint empties the WAL; the next commit starts it again from its first frame.
  other.pragma('wal_checkpoint(TRUNCATE)')
  log(other, 'probe:c')
  const c = feed.sync()
  assert.ok(c > b && feed.lastChange(['probe:c']) === c, 'a commit after the WAL restarted')

  // Not in WAL mode (no -shm to read): PRAGMA data_version and total_changes() tell.
  plain.exec('create table cache_changes (seq integer primary key, scope text not null)')
  assert.equal(plain.pragma('journal_mode', { simple: true }), 'delete')
  const plainFeed = sqliteChangeFeed(plain, new Kysely<DB>({ dialect: new SqliteDialect({ database: plain }) }))
  const p0 = plainFeed.sync()
  log(plainOther, 'probe:d')
  const p1 = plainFeed.sync()
  assert.ok(p1 > p0 && plainFeed.lastChange(['probe:d']) === p1)
  log(plain, 'probe:e')
  assert.ok(plainFeed.sync() > p1 && plainFeed.lastChange(['probe:e']) > p1)
  assert.equal(plainFeed.looksAt, 'statements')

  // Opened through a symbolic link: the -shm file is beside the link's target, and is found there.
  const target = path.join(dir, 'target.sqlite')
  const link = path.join(dir, 'link.sqlite')
  const writer = new SQLite(target)
  writer.pragma('journal_mode = WAL')
  writer.exec('create table cache_changes (seq integer primary key, scope text not null)')
  await fs.symlink(target, link)
  const reader = new SQLite(link)
  const closed: (() => void)[] = []
  const linked = sqliteChangeFeed(reader, new Kysely<DB>({ dialect: new SqliteDialect({ database: reader }) }), undefined, (fn) => closed.push(fn))
  assert.equal(linked.looksAt, 'wal-index')
  const l0 = linked.sync()
  log(writer, 'probe:f')
  assert.ok(linked.sync() > l0 && linked.lastChange(['probe:f']) > l0, 'a commit through the target is seen')
  reader.close()
  writer.close()
  for (const fn of closed) fn() // the probe's descriptor, after the connections (as the app does)
})

test('requests of one turn share one look, made after all of them began: a commit in between is seen by each', async (t) => {
  const dir = await makeTempDir()
  const app = await buildApp(testConfig(dir))
  const other = new SQLite(app.config.databaseFile) // as another process's connection would
  t.after(async () => {
    other.close()
    await app.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  let looks = 0
  const feed = { ...app.changes, sync: () => (looks++, app.changes.sync()) }
  const whenSynced = sharedSync(feed, (err) => assert.fail(String(err)))
  const seenBy = (n: number) => Promise.all(Array.from({ length: n }, () => new Promise<number>((resolve, reject) => {
    whenSynced((err, seen) => (err ? reject(err) : resolve(seen)))
  })))

  const before = app.changes.sync()
  looks = 0
  const first = seenBy(3)
  // Committed after the three began but before their look: every one of them sees it.
  const { lastInsertRowid } = other.prepare('insert into cache_changes (scope) values (?)').run('probe:turn')
  const seen = await first
  assert.equal(looks, 1, 'one look for the three')
  assert.ok(seen[0]! > before, 'the look came after the commit')
  assert.deepEqual(seen, [Number(lastInsertRowid), Number(lastInsertRowid), Number(lastInsertRowid)], 'each sees the commit made before the look')
  assert.equal(app.changes.lastChange(['probe:turn']), seen[0])

  const later = await seenBy(2)
  assert.equal(looks, 2, 'a later turn looks again')
  assert.deepEqual(later, [seen[0], seen[0]], 'nothing committed since')

  // A look that fails reaches every request that waited for it; the next turn looks afresh.
  let failing = true
  const broken = sharedSync({ ...app.changes, sync: () => { if (failing) throw new Error('the -shm file is gone'); return app.changes.sync() } }, () => {})
  const outcomes = await Promise.allSettled(Array.from({ length: 2 }, () => new Promise<number>((resolve, reject) => {
    broken((err, s) => (err ? reject(err) : resolve(s)))
  })))
  assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected'])
  failing = false
  assert.equal(await new Promise<number>((resolve, reject) => broken((err, s) => (err ? reject(err) : resolve(s)))), seen[0])

  // One that throws is reported, and the others of its turn still go on.
  const reported: unknown[] = []
  const guarded = sharedSync(app.changes, (err) => reported.push(err))
  const after = new Promise<number>((resolve) => {
    guarded(() => { throw new Error('a bug in a hook') })
    guarded((_err, s) => resolve(s))
  })
  assert.equal(await after, seen[0])
  assert.deepEqual(reported.map(String), ['Error: a bug in a hook'])
})
