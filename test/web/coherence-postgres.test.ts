// Two app instances on one PostgreSQL database (the PostgreSQL pass only): both keep pages, and a
// change made through one, behind the app's back or by the CLI in a process of its own shows on the
// other's next page at once (LISTEN/NOTIFY, src/coherence/postgres.ts). test/web/coherence.test.ts is
// the same on SQLite, and runs on PostgreSQL too for one instance.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../../src/app.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { freshPostgresDatabase, TEST_DATABASE_URL } from '../helpers/postgres.js'
import { makeUser } from '../helpers/users.js'
import { insertPost, makePublic } from '../feeds/fixtures.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

async function twoInstances(t: import('node:test').TestContext) {
  const pg = await freshPostgresDatabase()
  const dirs = [await makeTempDir(), await makeTempDir()]
  const [first, second] = await Promise.all(dirs.map((dir) => buildApp(testConfig(dir, { DATABASE_URL: pg.url }))))
  t.after(async () => {
    await first!.close()
    await second!.close()
    await pg.drop()
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true })
  })
  return { first: first!, second: second!, url: pg.url }
}

function countRenders(app: FastifyInstance): () => number {
  let renders = 0
  app.addHook('preHandler', async () => void renders++)
  return () => renders
}

test('two instances on PostgreSQL keep pages, and each shows the other\'s changes on the next page', { skip: !TEST_DATABASE_URL && 'PostgreSQL pass only' }, async (t) => {
  const { first, second, url } = await twoInstances(t)
  const renders = countRenders(first)
  const kari = await makeUser(second, { displayName: 'Kari Leser' })
  const ola = await makeUser(second, { displayName: 'Ola Skriver' })
  await makePublic(second)
  const post = await insertPost(second, { author: ola, title: 'Kantina åpner' })
  const anon = new Client(first)
  const reader = await loggedIn(first, kari)

  // Pages are kept: the second answer of each comes without running the handler.
  for (const r of [anon, reader]) {
    await r.get('/')
    const before = renders()
    assert.match((await r.get('/')).body, /Kantina åpner/)
    assert.equal(renders(), before, 'kept copy')
  }

  // Published through the second instance (no request to the first): both readers see it at once.
  await insertPost(second, { author: ola, title: 'Fra den andre instansen' })
  for (const r of [anon, reader]) assert.match((await r.get('/')).body, /Fra den andre instansen/)

  // A comment through the second instance's pages: the post page on the first shows it; other pages stay kept.
  const page = `/posts/${post.slug}`
  await anon.get(page)
  await anon.get('/micro')
  const writer = await loggedIn(second, ola)
  assert.equal((await writer.post('/comments', { postId: String(post.id), body: 'Gleder meg til lunsj' }, { from: page })).statusCode, 303)
  assert.match((await anon.get(page)).body, /Gleder meg til lunsj/)
  const before = renders()
  await anon.get('/micro')
  assert.equal(renders(), before, 'a comment keeps the timeline')

  // A role changed by the CLI, a process of its own on the same database.
  assert.doesNotMatch((await reader.get('/')).body, /href="\/editorial"/)
  const code = await new Promise<number | null>((resolve, reject) => {
    const env = { ...process.env, NODE_ENV: 'test', DATA_DIR: first.config.dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(40) }
    const cli = spawn(process.execPath, [...process.execArgv, `src/cli/main${path.extname(fileURLToPath(import.meta.url))}`, 'user', 'role', kari.username, 'editor'], { cwd: ROOT, env, stdio: 'ignore' })
    cli.on('error', reject)
    cli.on('exit', resolve)
  })
  assert.equal(code, 0)
  assert.match((await reader.get('/')).body, /href="\/editorial"/)

  // The site closed by the second instance's administrator: the first sends anonymous readers to log in.
  await second.settings.update({ visibility: 'internal' }, null)
  assert.equal((await anon.get('/')).statusCode, 303)
})

test('without its listening connection an instance keeps nothing, and keeps pages again once it listens', { skip: !TEST_DATABASE_URL && 'PostgreSQL pass only' }, async (t) => {
  const { first, second } = await twoInstances(t)
  const renders = countRenders(first)
  const ola = await makeUser(second)
  await makePublic(second)
  await insertPost(second, { author: ola, title: 'Første' })
  const anon = new Client(first)
  await anon.get('/')

  // The server ends the first instance's listening connection (as a restart or a network fault would).
  await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'betablogg-changes' and datname = current_database()`.execute(first.db)
  await insertPost(second, { author: ola, title: 'Mens ingen lyttet' })
  let before = renders()
  assert.match((await anon.get('/')).body, /Mens ingen lyttet/)
  assert.match((await anon.get('/')).body, /Mens ingen lyttet/)
  assert.equal(renders(), before + 2, 'nothing kept while not listening')

  // Listening again (after a second): pages are kept and changes seen as before.
  let listening = false
  for (let i = 0; i < 50 && !listening; i++) {
    await new Promise((r) => setTimeout(r, 100))
    listening = Number((await sql<{ n: number }>`select count(*) as n from pg_stat_activity where application_name = 'betablogg-changes' and datname = current_database()`.execute(first.db)).rows[0]!.n) === 2
  }
  assert.ok(listening, 'the first instance listens again')
  await anon.get('/')
  before = renders()
  await anon.get('/')
  assert.equal(renders(), before, 'kept again')
  await insertPost(second, { author: ola, title: 'Etter gjenoppkobling' })
  assert.match((await anon.get('/')).body, /Etter gjenoppkobling/)
})
