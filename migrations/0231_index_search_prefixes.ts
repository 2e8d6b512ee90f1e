import { type Kysely, sql } from 'kysely'
import { isPostgres } from './dialect.js'

// SQLite-only (FTS5). Prefix indexes for prefixes of 3 to 12 letters (0020 had them for 3 only).
// Every word a person types is searched as a prefix ("kommun" finds "kommunen"). Without an index
// for the prefix's length FTS5 gathers the document lists of every word that starts with it into
// memory before it can return the first row, whatever the LIMIT: "kommune*" on a site of 100,000 posts
// and a million comments and updates cost 40 ms. With the index it is one list, read only as far as
// needed. The index grows about 2.7 times; longer prefixes are rare words with short lists.
//
// The prefix option is fixed when an FTS5 table is made, so the table is made again and the
// documents copied (tokenized again: on a large site this migration takes minutes). PostgreSQL's
// index (a GIN over tsvector) has no such limit: nothing changes there.
const PREFIXES = '3 4 5 6 7 8 9 10 11 12'

async function remake(db: Kysely<any>, prefix: string): Promise<void> {
  await sql.raw(`create virtual table search_index_next using fts5(
    title, lead, body, tags, facets,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '${prefix}'
  )`).execute(db)
  await sql`insert into search_index_next(rowid, title, lead, body, tags, facets)
    select rowid, title, lead, body, tags, facets from search_index`.execute(db)
  await sql`drop table search_index`.execute(db)
  await sql`alter table search_index_next rename to search_index`.execute(db)
  await sql`insert into search_index(search_index) values ('optimize')`.execute(db)
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await remake(db, PREFIXES)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await remake(db, '3')
}
