import type { Kysely } from 'kysely'

// The log of what the search index's changes touched (src/search/kept-answers.ts): each batch the
// indexer writes adds a row with the words of the documents' old and new text, in the same
// transaction. A kept search answer lives until a later row holds one of its words, in any process.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_changes')
    // Numbers are never used again (AUTOINCREMENT; an identity on PostgreSQL), even once the prune has
    // emptied the table: a process that has read up to n must see every later row.
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('words', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('search_changes').execute()
}
