// Migration 0243 (SQLite): the one FTS5 index of all three kinds becomes an index per kind, with
// every document kept under its number, so searches find what they found before; and back.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { Migrator, sql, type Kysely } from 'kysely'
import { migrations } from '../../migrations/index.js'
import { openDatabase } from '../../src/db/database.js'
import { docOf, SEARCH_KINDS } from '../../src/search/queries.js'
import { makeTempDir } from '../helpers/app.js'

const BEFORE = '0242_cache_changes_for_sessions'
const AFTER = '0243_search_index_per_kind'

/** A new SQLite database migrated up to `name`, removed after the test. */
async function migratedTo(t: TestContext, name: string) {
  const dir = await makeTempDir()
  const database = openDatabase(path.join(dir, 'betablogg.sqlite'))
  t.after(async () => {
    await database.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  const db = database.db as Kysely<any>
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  assert.equal((await migrator.migrateTo(name)).error, undefined)
  return { db, migrator }
}

test('the shared search index is split into one per kind, each document kept with its columns; down joins them again', async (t) => {
  const { db, migrator } = await migratedTo(t, BEFORE)
  for (const [i, kind] of SEARCH_KINDS.entries()) {
    await sql`insert into search_index(rowid, title, lead, body, tags, facets)
      values (${docOf(kind, 7)}, ${`tittel${i}`}, ${`ingress${i}`}, ${`kantina ${kind}`}, ${`merke${i}`}, ${`t${i}`})`.execute(db)
  }

  assert.equal((await migrator.migrateTo(AFTER)).error, undefined)
  for (const [i, kind] of SEARCH_KINDS.entries()) {
    const index = sql.table(`search_index_${kind}`)
    const { rows } = await sql<Record<string, unknown>>`select rowid as doc, title, lead, body, tags, facets from ${index} where ${index} match 'kantina'`.execute(db)
    assert.deepEqual(rows, [{ doc: docOf(kind, 7), title: `tittel${i}`, lead: `ingress${i}`, body: `kantina ${kind}`, tags: `merke${i}`, facets: `t${i}` }], kind)
    // Prefix indexes as 0231 made them (a prefix of 5 letters finds the word).
    assert.equal((await sql`select rowid from ${index} where ${index} match ${`{title} : "titte"*`}`.execute(db)).rows.length, 1)
  }
  const { rows: old } = await sql`select name from sqlite_master where name = 'search_index'`.execute(db)
  assert.equal(old.length, 0)

  assert.equal((await migrator.migrateTo(BEFORE)).error, undefined)
  const { rows: back } = await sql<{ doc: number }>`select rowid as doc from search_index where search_index match 'kantina' order by rowid`.execute(db)
  assert.deepEqual(back.map((r) => r.doc), SEARCH_KINDS.map((kind) => docOf(kind, 7)))
})

test('the split is one transaction: when it fails halfway the old index is left whole, and it runs again', async (t) => {
  const { db, migrator } = await migratedTo(t, BEFORE)
  await sql`insert into search_index(rowid, title, lead, body, tags, facets) values (${docOf('post', 1)}, '', '', 'kantina', '', '')`.execute(db)
  // In the way of the last kind's index: the posts and updates are copied, then the split fails.
  await sql`create table search_index_comment (x integer)`.execute(db)
  assert.ok((await migrator.migrateTo(AFTER)).error)
  const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name in ('search_index', 'search_index_post', 'search_index_micro')`.execute(db)).rows.map((r) => r.name).sort()
  assert.deepEqual(await tables(), ['search_index'])
  assert.equal((await sql`select rowid from search_index where search_index match 'kantina'`.execute(db)).rows.length, 1)

  await sql`drop table search_index_comment`.execute(db)
  assert.equal((await migrator.migrateTo(AFTER)).error, undefined)
  assert.deepEqual(await tables(), ['search_index_micro', 'search_index_post'])
  assert.equal((await sql`select rowid from search_index_post where search_index_post match 'kantina'`.execute(db)).rows.length, 1)
})
