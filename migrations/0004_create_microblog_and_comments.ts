import type { Kysely } from 'kysely'

// Microblog updates (with likes and tags) and comments on blog posts. Counts are kept on the rows
// (like_count, reply_count, posts.comment_count) so lists never count on read.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('micro_posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull()) // plain text as written
    .addColumn('body_html', 'text', (c) => c.notNull()) // escaped, with links, #tags and @mentions
    .addColumn('reply_to_id', 'integer', (c) => c.references('micro_posts.id'))
    .addColumn('root_id', 'integer', (c) => c.references('micro_posts.id')) // the thread's first update
    .addColumn('like_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reply_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'integer', (c) => c.references('users.id'))
    .addColumn('hidden_reason', 'text')
    .execute()
  await db.schema.createIndex('micro_posts_timeline_idx').on('micro_posts').columns(['created_at', 'id']).execute()
  await db.schema.createIndex('micro_posts_author_idx').on('micro_posts').columns(['author_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('micro_posts_thread_idx').on('micro_posts').columns(['root_id', 'id']).execute()

  await db.schema
    .createTable('micro_likes')
    .addColumn('micro_id', 'integer', (c) => c.notNull().references('micro_posts.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('micro_likes_pk', ['micro_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('micro_tags')
    .addColumn('micro_id', 'integer', (c) => c.notNull().references('micro_posts.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('micro_tags_pk', ['micro_id', 'tag_id'])
    .execute()
  await db.schema.createIndex('micro_tags_tag_idx').on('micro_tags').columns(['tag_id', 'created_at', 'micro_id']).execute()

  await db.schema
    .createTable('comments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.references('users.id')) // null: imported, no account
    .addColumn('author_name', 'text') // for comments without an account (imported)
    .addColumn('parent_id', 'integer', (c) => c.references('comments.id')) // one level of replies
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull()) // sanitized, from src/markdown
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('hidden_at', 'text')
    .addColumn('hidden_by', 'integer', (c) => c.references('users.id'))
    .addColumn('hidden_reason', 'text')
    .execute()
  await db.schema.createIndex('comments_post_idx').on('comments').columns(['post_id', 'id']).execute()
  await db.schema.createIndex('comments_author_idx').on('comments').columns(['author_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['comments', 'micro_tags', 'micro_likes', 'micro_posts']) await db.schema.dropTable(t).execute()
}
