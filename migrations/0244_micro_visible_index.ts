import { sql, type Kysely } from 'kysely'

// The timeline's window (the newest updates neither deleted nor hidden) as an index of its own: the
// window is read for every logged-in timeline page, to find the reader's likes and bookmarks among
// its updates (src/micro/queries.ts), and walking the table for it read 60 whole updates each time.
// Partial indexes are the same on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('micro_posts_visible_idx').on('micro_posts').column('id')
    .where(sql<boolean>`deleted_at is null and hidden_at is null`).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('micro_posts_visible_idx').execute()
}
