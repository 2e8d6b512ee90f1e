import type { Kysely } from 'kysely'
import { isPostgres } from './dialect.js'

// The log of what the search index's changes touched (src/search/kept-answers.ts): each batch the
// indexer writes adds a row with the words of the documents' old and new text, in the same
// transaction. A kept search answer lives until a later row holds one of its words, in any process.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_changes')
    .addColumn('seq', isPostgres(db) ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('words', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_changes').execute()
}
