import type { Kysely } from 'kysely'

// What the video and slide providers answered (oEmbed) for an embed address: the iframe URL, or nothing
// (src null) when they could not resolve it. Rows expire; a save after that asks again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('embed_cache')
    .addColumn('url', 'text', (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('src', 'text')
    .addColumn('title', 'text')
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('embed_cache').execute()
}
