import type { Kysely } from 'kysely'

// Evidence of use (src/statistics): daily aggregate counters only. Nothing here names a reader: no
// address, no account, no cookie — a day, a page kind or a post, and a number.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_page_views')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stats_page_views_pk', ['day', 'kind'])
    .execute()
  await db.schema
    .createTable('stats_post_views')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('stats_post_views_pk', ['day', 'post_id'])
    .execute()
  await db.schema.createIndex('stats_post_views_post').on('stats_post_views').columns(['post_id', 'day']).execute()
  await db.schema
    .createTable('stats_readers')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('readers', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // One row per month whose summary went to the editors: the monthly job's idempotency.
  await db.schema
    .createTable('stats_summaries')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['stats_summaries', 'stats_readers', 'stats_post_views', 'stats_page_views']) await db.schema.dropTable(t).execute()
}
