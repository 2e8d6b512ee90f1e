import { type Kysely, sql } from 'kysely'
import { isPostgres } from './dialect.js'

// SQLite-only (FTS5). One index per kind of document (search_index_post, _micro, _comment) instead
// of one for all three in blocks of rowids. FTS5 honours a rowid range by walking a word's list of
// documents: the newest posts with a common word were found by walking back through every comment
// and update that has it (14 ms for "kommune" at 100,000 posts and a million comments and updates,
// against 1.2 ms in an index of their own), and bm25 counted the word in every kind. Documents keep
// their numbers (doc = kind * 10^12 + id), so the queue, the change log and the kept answers are
// unchanged. The documents are copied, not read from the content tables again: tokenized anew, on a
// large site this migration takes minutes (as 0231 did). PostgreSQL's index is untouched.
const KINDS = [['post', 1], ['micro', 2], ['comment', 3]] as const
const BLOCK = 1_000_000_000_000

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return
  // One transaction (Kysely's migrator runs SQLite's DDL without one): a start-up stopped halfway
  // leaves the old index as it was, and the next start does it all again. The WAL grows to about the
  // size of the new indexes until the commit.
  await db.transaction().execute(async (trx) => {
    for (const [kind, code] of KINDS) {
      await createIndex(trx, `search_index_${kind}`)
      // The stored columns straight from the old index's content table (c0 … c4: title … facets).
      await sql.raw(`insert into search_index_${kind}(rowid, title, lead, body, tags, facets)
        select id, c0, c1, c2, c3, c4 from search_index_content where id between ${code * BLOCK} and ${(code + 1) * BLOCK - 1}`).execute(trx)
      await sql.raw(`insert into search_index_${kind}(search_index_${kind}) values ('optimize')`).execute(trx)
    }
    await sql`drop table search_index`.execute(trx)
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return
  await db.transaction().execute(async (trx) => {
    await createIndex(trx, 'search_index')
    for (const [kind] of KINDS) {
      await sql.raw(`insert into search_index(rowid, title, lead, body, tags, facets)
        select id, c0, c1, c2, c3, c4 from search_index_${kind}_content`).execute(trx)
      await sql.raw(`drop table search_index_${kind}`).execute(trx)
    }
  })
}

/** An FTS5 index as 0231 made it (its tokenizer and prefix indexes). */
async function createIndex(db: Kysely<any>, name: string): Promise<void> {
  await sql.raw(`create virtual table ${name} using fts5(
    title, lead, body, tags, facets,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3 4 5 6 7 8 9 10 11 12'
  )`).execute(db)
}
