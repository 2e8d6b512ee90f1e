import { type Kysely, sql } from 'kysely'

// Moderation of microblog updates and comments: one moderation_items row per reported or moderated
// item (its state in the editors' queue) and the reports people make. Also the indexes the posting
// rules need: comments by author and time (rate limits, duplicates) and replies by parent.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('moderation_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('subject_type', 'text', (c) => c.notNull()) // 'micro' | 'comment'
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('author_id', 'integer', (c) => c.references('users.id')) // the item's author, if any
    // open: waits in the queue · hidden: hidden by the editors · cleared: reviewed, stays visible
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('open_reports', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued_at', 'text', (c) => c.notNull()) // when it (last) entered the queue
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('moderation_items_subject_uq', ['subject_type', 'subject_id'])
    .execute()
  await db.schema.createIndex('moderation_items_queue_idx').on('moderation_items').columns(['status', 'queued_at', 'id']).execute()
  await db.schema.createIndex('moderation_items_status_idx').on('moderation_items').columns(['status', 'updated_at', 'id']).execute()

  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('moderation_items.id').onDelete('cascade'))
    .addColumn('reporter_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'integer', (c) => c.references('users.id'))
    .execute()
  await db.schema.createIndex('reports_item_idx').on('reports').columns(['item_id', 'id']).execute()
  // One open report per person and item.
  await db.schema
    .createIndex('reports_open_uq')
    .on('reports')
    .columns(['item_id', 'reporter_id'])
    .unique()
    .where(sql<boolean>`resolved_at is null`)
    .execute()

  await db.schema.createIndex('comments_author_time_idx').on('comments').columns(['author_id', 'created_at']).execute()
  await db.schema.createIndex('comments_parent_idx').on('comments').columns(['parent_id', 'id']).execute()
  await db.schema.createIndex('micro_posts_reply_to_idx').on('micro_posts').columns(['reply_to_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('micro_posts_reply_to_idx').execute()
  await db.schema.dropIndex('comments_parent_idx').execute()
  await db.schema.dropIndex('comments_author_time_idx').execute()
  await db.schema.dropTable('reports').execute()
  await db.schema.dropTable('moderation_items').execute()
}
