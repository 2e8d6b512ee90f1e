import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import { compiledOnce } from '../../src/db/compiled.js'
import { readCompiled, readCompiledColumn } from '../../src/db/direct-read.js'
import type { DB } from '../../src/db/schema.js'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'

test('compiledOnce: compiled the first time, then run with each call\'s own arguments', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const ola = await makeUser(app, { username: 'ola' })
  let builds = 0
  const byName = compiledOnce((db: Kysely<DB>, name: string, active: number) => {
    builds++
    return db.selectFrom('users').select(['id', 'username']).where('username', '=', name).where('is_active', '=', active).where('id', '>', 0)
  })
  assert.deepEqual(await byName(app.db, 'kari', 1), [{ id: kari.id, username: 'kari' }])
  assert.deepEqual(await byName(app.db, 'ola', 1), [{ id: ola.id, username: 'ola' }], 'the new argument, not the first one')
  assert.deepEqual(await byName(app.db, 'ola', 0), [])
  assert.deepEqual(await byName(app.db, "' or 1=1 --", 1), [], 'arguments stay parameters')
  assert.equal(builds, 1)

  // Eleven arguments: their order is checked as numbers, not as text ("10" before "2").
  const notAmong = compiledOnce((db: Kysely<DB>, ...ids: number[]) => db.selectFrom('users').select('username').where('id', 'not in', ids))
  const others = Array.from({ length: 11 }, (_, i) => 1000 + i)
  assert.deepEqual((await notAmong(app.db, ...others, ola.id)).map((r) => r.username), ['kari'])
  assert.deepEqual((await notAmong(app.db, ola.id)).map((r) => r.username), ['kari'], 'another length: compiled for it')
  assert.deepEqual((await notAmong(app.db, ...others, kari.id)).map((r) => r.username), ['ola'], 'the first length again')

  const unused = compiledOnce((db: Kysely<DB>, _name: string) => db.selectFrom('users').select('id'))
  await assert.rejects(unused(app.db, 'kari'), /every argument must be used/)

  // An argument used twice is the same value in both places.
  const namedTwice = compiledOnce((db: Kysely<DB>, name: string) =>
    db.selectFrom('users').select('id').where((eb) => eb.or([eb('username', '=', name), eb('display_name', '=', name)])))
  assert.deepEqual(await namedTwice(app.db, 'ola'), [{ id: ola.id }])
  assert.deepEqual(await namedTwice(app.db, 'kari'), [{ id: kari.id }])
})

test('a compiled read beside an open transaction waits for it and never sees what it rolls back; compiled writes still write', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const nameOf = compiledOnce((db: Kysely<DB>, id: number) => db.selectFrom('users').select('display_name').where('id', '=', id))
  let entered!: () => void
  let leave!: () => void
  const inside = new Promise<void>((resolve) => (entered = resolve))
  const gate = new Promise<void>((resolve) => (leave = resolve))
  const transaction = app.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ display_name: 'Aldri lagret' }).where('id', '=', kari.id).execute()
    entered()
    await gate
    throw new Error('rolled back')
  })
  await inside
  let answered = false
  const read = nameOf(app.db, kari.id).then((rows) => ((answered = true), rows))
  await new Promise((resolve) => setTimeout(resolve, 20))
  // SQLite has one connection: the read waits for the transaction (PostgreSQL reads beside it).
  if (!TEST_DATABASE_URL) assert.equal(answered, false, 'not answered inside the open transaction')
  leave()
  await assert.rejects(transaction, /rolled back/)
  assert.deepEqual(await read, [{ display_name: 'Kari Nordmann' }])

  const rename = compiledOnce((db: Kysely<DB>, name: string, id: number) => db.updateTable('users').set({ display_name: name }).where('id', '=', id))
  assert.deepEqual(await rename(app.db, 'Kari N.', kari.id), [])
  assert.deepEqual(await nameOf(app.db, kari.id), [{ display_name: 'Kari N.' }])

  // A write that returns rows is a write: it waits while another holds the connection (SQLite).
  const addTag = compiledOnce((db: Kysely<DB>, name: string) => db.insertInto('tags').values({ name }).returning('name'))
  let release!: () => void
  let holding!: () => void
  const held = new Promise<void>((resolve) => (holding = resolve))
  const free = new Promise<void>((resolve) => (release = resolve))
  const holder = app.db.connection().execute(async () => { holding(); await free })
  await held
  let added = false
  const adding = addTag(app.db, 'lunsj').then((rows) => ((added = true), rows))
  await new Promise((resolve) => setTimeout(resolve, 20))
  if (!TEST_DATABASE_URL) assert.equal(added, false, 'not written while the connection is held')
  release()
  await holder
  assert.deepEqual(await adding, [{ name: 'lunsj' }])
})

test('readCompiledColumn: the first column as values, straight or inside a transaction; the shared statement gives rows again after it', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const ola = await makeUser(app, { username: 'ola' })
  const query = app.db.selectFrom('users').select(['id', 'username']).where('id', 'in', [kari.id, ola.id]).orderBy('id').compile()
  assert.deepEqual(await readCompiledColumn(app.db, query), [kari.id, ola.id])
  // The same statement (the statement cache's) read as rows right after: not left giving values.
  assert.deepEqual(await readCompiled(app.db, query), [{ id: kari.id, username: 'kari' }, { id: ola.id, username: 'ola' }])
  // Inside a transaction (and on PostgreSQL) through Kysely, with the same answer.
  await app.db.transaction().execute(async (trx) => {
    assert.deepEqual(await readCompiledColumn(trx, query), [kari.id, ola.id])
  })
  assert.deepEqual(await readCompiledColumn(app.db, app.db.selectFrom('users').select('id').where('id', '<', 0).compile()), [])
  // Rows are made from better-sqlite3's arrays (direct-read.ts rowsOf): the same objects as its own,
  // a name given twice keeping its last value, nulls as nulls; and the statement left giving rows.
  const twice = sql<{ a: number; b: string | null }>`select 1 as a, 2 as a, null as b`.compile(app.db)
  assert.deepEqual(await readCompiled(app.db, twice), [{ a: 2, b: null }])
  assert.deepEqual(await readCompiled(app.db, twice), [{ a: 2, b: null }])
  assert.deepEqual(await readCompiledColumn(app.db, query), [kari.id, ola.id])
  // A `select *` read again after a column was added (as by another process's migration) has it.
  if (!TEST_DATABASE_URL) {
    const all = app.db.selectFrom('users').selectAll().where('id', '=', kari.id).compile()
    assert.equal(((await readCompiled(app.db, all))[0] as Record<string, unknown>).extra, undefined)
    await sql`alter table users add column extra text default 'ny'`.execute(app.db)
    assert.equal(((await readCompiled(app.db, all))[0] as Record<string, unknown>).extra, 'ny')
  }
})
