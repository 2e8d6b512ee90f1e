import { sql, type Kysely } from 'kysely'

// Following people and tags, and bookmarks ("Les senere"). The primary keys serve "whom do I follow"
// and the personal timeline (src/following/queries.ts); the reverse indexes serve "who follows this
// person" (notifications, erasure) and removing a tag. A bookmark points at a post or an update, never
// both; its id orders the bookmarks page (newest first, keyset over bookmarks_user_idx).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('user_follows')
    .addColumn('follower_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('followed_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_follows_pk', ['follower_id', 'followed_id'])
    .addCheckConstraint('user_follows_not_self', sql`follower_id <> followed_id`)
    .execute()
  await db.schema.createIndex('user_follows_followed_idx').on('user_follows').columns(['followed_id', 'follower_id']).execute()

  await db.schema
    .createTable('tag_follows')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_follows_pk', ['user_id', 'tag_id'])
    .execute()
  await db.schema.createIndex('tag_follows_tag_idx').on('tag_follows').columns(['tag_id', 'user_id']).execute()

  await db.schema
    .createTable('bookmarks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('post_id', 'integer', (c) => c.references('posts.id').onDelete('cascade'))
    .addColumn('micro_id', 'integer', (c) => c.references('micro_posts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('bookmarks_one_subject', sql`(post_id is null) <> (micro_id is null)`)
    .execute()
  await db.schema.createIndex('bookmarks_user_idx').on('bookmarks').columns(['user_id', 'id']).execute()
  await db.schema.createIndex('bookmarks_post_uq').on('bookmarks').columns(['user_id', 'post_id']).unique().where('post_id', 'is not', null).execute()
  await db.schema.createIndex('bookmarks_micro_uq').on('bookmarks').columns(['user_id', 'micro_id']).unique().where('micro_id', 'is not', null).execute()
  await db.schema.createIndex('bookmarks_post_idx').on('bookmarks').column('post_id').where('post_id', 'is not', null).execute()
  await db.schema.createIndex('bookmarks_micro_idx').on('bookmarks').column('micro_id').where('micro_id', 'is not', null).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bookmarks').execute()
  await db.schema.dropTable('tag_follows').execute()
  await db.schema.dropTable('user_follows').execute()
}
