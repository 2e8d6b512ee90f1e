import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { runCli } from '../../src/cli/main.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { buildApp } from '../../src/app.js'
import { Client } from '../helpers/client.js'

function io(stdin = '') {
  const out: string[] = []
  const err: string[] = []
  return {
    out, err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readStdin: async () => stdin, promptSecret: async () => undefined },
  }
}

async function tempEnv(t: import('node:test').TestContext) {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  return { DATA_DIR: dir, SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
}

test('user add takes the password from stdin, never from argv, and the user can log in', async (t) => {
  const env = await tempEnv(t)
  const a = io('et svært hemmelig passord\n')
  assert.equal(await runCli(['user', 'add', 'redaktor', '--role', 'editor,admin', '--name', 'Rita Redaktør', '--password-stdin'], env, a.io), 0)
  assert.match(a.out.join('\n'), /Created user redaktor \(employee, editor, admin\)/)

  const list = io()
  assert.equal(await runCli(['user', 'list'], env, list.io), 0)
  assert.match(list.out.join('\n'), /redaktor\tRita Redaktør\t\temployee,editor,admin\tactive/)

  const app = await buildApp(testConfig(env.DATA_DIR))
  t.after(() => app.close())
  const c = new Client(app)
  const res = await c.post('/login', { identifier: 'redaktor', password: 'et svært hemmelig passord' }, { from: '/login' })
  assert.equal(res.statusCode, 303)
})

test('user add without a password prints an invitation link; bad input gets a clear error', async (t) => {
  const env = await tempEnv(t)
  const a = io()
  assert.equal(await runCli(['user', 'add', 'per'], env, a.io), 0)
  assert.match(a.out.join('\n'), /\/invite\/[A-Za-z0-9_-]{40,}/)
  const dup = io()
  assert.equal(await runCli(['user', 'add', 'per'], env, dup.io), 1)
  assert.match(dup.err.join('\n'), /already taken/)
  const bad = io()
  assert.equal(await runCli(['user', 'add', 'Bad Name!'], env, bad.io), 1)
  assert.match(bad.err.join('\n'), /username: The username can only contain/)
  const short = io('kort\n')
  assert.equal(await runCli(['user', 'add', 'kari', '--password-stdin'], env, short.io), 1)
  assert.match(short.err.join('\n'), /at least 10 characters/)
  const role = io()
  assert.equal(await runCli(['user', 'add', 'ola', '--role', 'king'], env, role.io), 1)
})

test('role, passwd, deactivate and the last-admin rule', async (t) => {
  const env = await tempEnv(t)
  await runCli(['user', 'add', 'admin', '--role', 'admin', '--password-stdin'], env, io('admin-passord-123\n').io)
  await runCli(['user', 'add', 'ansatt', '--password-stdin'], env, io('ansatt-passord-123\n').io)
  const lastAdmin = io()
  assert.equal(await runCli(['user', 'role', 'admin', 'employee'], env, lastAdmin.io), 1)
  assert.match(lastAdmin.err.join('\n'), /last active administrator/)
  assert.equal(await runCli(['user', 'deactivate', 'admin'], env, io().io), 1)
  assert.equal(await runCli(['user', 'role', 'ansatt', 'editor'], env, io().io), 0)
  assert.equal(await runCli(['user', 'passwd', 'ansatt', '--password-stdin'], env, io('nytt-passord-456\n').io), 0)
  assert.equal(await runCli(['user', 'deactivate', 'ansatt'], env, io().io), 0)
  const list = io()
  await runCli(['user', 'list'], env, list.io)
  assert.match(list.out.join('\n'), /ansatt\tansatt\t\temployee,editor\tdeactivated/)
  const noTty = io()
  assert.equal(await runCli(['user', 'passwd', 'ansatt'], env, noTty.io), 1, 'no terminal and no --password-stdin')
  assert.match(noTty.err.join('\n'), /--password-stdin/)
})

test('bad configuration names the variable', async (t) => {
  const env = await tempEnv(t)
  const a = io()
  assert.equal(await runCli(['user', 'list'], { ...env, PORT: 'abc' }, a.io), 2)
  assert.match(a.err.join('\n'), /PORT must be a whole number/)
})

test('backup copies the database and uploads online, and a restored copy has the data', async (t) => {
  const env = await tempEnv(t)
  await runCli(['user', 'add', 'kari', '--password-stdin'], env, io('kari-passord-123\n').io)
  await fs.mkdir(path.join(env.DATA_DIR, 'uploads', '2026', '11'), { recursive: true })
  await fs.writeFile(path.join(env.DATA_DIR, 'uploads', '2026', '11', 'a.png'), 'png-bytes')
  // The server keeps running (and holding the database open) while the backup is taken.
  const live = await buildApp(testConfig(env.DATA_DIR))
  t.after(() => live.close())
  const a = io()
  assert.equal(await runCli(['backup'], env, a.io), 0)
  const dir = /Backup written to (.+) \(database and 1 upload files\)/.exec(a.out.join('\n'))?.[1]
  assert.ok(dir, a.out.join('\n'))

  // Restore as README says: a new DATA_DIR with the backed-up database file and uploads.
  const restored = await makeTempDir()
  t.after(() => fs.rm(restored, { recursive: true, force: true }))
  await fs.copyFile(path.join(dir, 'betablogg.sqlite'), path.join(restored, 'betablogg.sqlite'))
  await fs.cp(path.join(dir, 'uploads'), path.join(restored, 'uploads'), { recursive: true })
  const list = io()
  assert.equal(await runCli(['user', 'list'], { ...env, DATA_DIR: restored }, list.io), 0)
  assert.match(list.out.join('\n'), /^kari\t/m)
  assert.equal(await fs.readFile(path.join(restored, 'uploads', '2026', '11', 'a.png'), 'utf8'), 'png-bytes')
})

test('audit verify detects an altered and a removed entry', async (t) => {
  const env = await tempEnv(t)
  for (const u of ['a1', 'a2', 'a3']) await runCli(['user', 'add', u], env, io().io)
  const ok = io()
  assert.equal(await runCli(['audit', 'verify'], env, ok.io), 0)
  assert.match(ok.out.join('\n'), /Audit trail intact: 3 entries/)

  const app = await buildApp(testConfig(env.DATA_DIR))
  await app.db.updateTable('audit_events').set({ note: 'forged' }).where('id', '=', 2).execute()
  await app.close()
  const altered = io()
  assert.equal(await runCli(['audit', 'verify'], env, altered.io), 3)
  assert.match(altered.err.join('\n'), /BROKEN at entry 2 \(the entry was altered\)/)

  const app2 = await buildApp(testConfig(env.DATA_DIR))
  await app2.db.deleteFrom('audit_events').where('id', '=', 2).execute()
  await app2.close()
  const removed = io()
  assert.equal(await runCli(['audit', 'verify'], env, removed.io), 3)
  assert.match(removed.err.join('\n'), /BROKEN at entry 3/)
})

test('posts rerender rebuilds stored HTML from the Markdown', async (t) => {
  const env = await tempEnv(t)
  await runCli(['user', 'add', 'forfatter'], env, io().io)
  const app = await buildApp(testConfig(env.DATA_DIR))
  const now = new Date().toISOString()
  const author = await app.db.selectFrom('users').select('id').executeTakeFirstOrThrow()
  await app.db.insertInto('posts').values({
    author_id: author.id, slug: 'gammel', title: 'Gammel', body_md: 'Hei *verden*', body_html: '<p>stale</p>', status: 'published',
    published_at: now, created_at: now, updated_at: now,
  }).execute()
  await app.close()
  const a = io()
  assert.equal(await runCli(['posts', 'rerender'], env, a.io), 0)
  assert.match(a.out.join('\n'), /Re-rendered 1 posts and 0 revisions; 1 changed/)
  const app2 = await buildApp(testConfig(env.DATA_DIR))
  t.after(() => app2.close())
  const row = await app2.db.selectFrom('posts').select('body_html').executeTakeFirstOrThrow()
  assert.equal(row.body_html.trim(), '<p>Hei <em>verden</em></p>')
})
