import type { Kysely } from 'kysely'

// Blog posts, tags and uploaded images. The posts row holds what readers see (for a published post,
// the live version); the editorial feature adds revisions and review state in its own migrations.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('uploads')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('owner_id', 'integer', (c) => c.references('users.id'))
    .addColumn('path', 'text', (c) => c.notNull().unique()) // relative to DATA_DIR/uploads
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('variants', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{ width, height, path }]
    .addColumn('alt', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('credit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('uploads_owner_idx').on('uploads').columns(['owner_id', 'id']).execute()

  await db.schema
    .createTable('posts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('lead', 'text', (c) => c.notNull().defaultTo('')) // as written; may be empty
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('')) // lead, or derived from the body
    .addColumn('body_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo('')) // sanitized, from src/markdown
    .addColumn('cover_upload_id', 'integer', (c) => c.references('uploads.id').onDelete('set null'))
    // draft | submitted | changes_requested | scheduled | published | rejected | withdrawn
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('published_at', 'text') // first publication; the reading order
    .addColumn('scheduled_at', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0)) // visible comments, kept by comments
    .addColumn('comments_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pinned_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('posts_status_published_idx').on('posts').columns(['status', 'published_at', 'id']).execute()
  await db.schema.createIndex('posts_author_idx').on('posts').columns(['author_id', 'status', 'published_at']).execute()
  await db.schema.createIndex('posts_queue_idx').on('posts').columns(['status', 'submitted_at']).execute()
  await db.schema.createIndex('posts_scheduled_idx').on('posts').columns(['status', 'scheduled_at']).execute()

  // Old slugs of published posts keep redirecting to the post.
  await db.schema
    .createTable('post_slugs')
    .addColumn('slug', 'text', (c) => c.primaryKey())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .execute()

  await db.schema
    .createTable('tags')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique()) // normalised: lower case (src/posts/slug.ts)
    .addColumn('post_count', 'integer', (c) => c.notNull().defaultTo(0)) // published posts
    .addColumn('micro_count', 'integer', (c) => c.notNull().defaultTo(0)) // visible microblog updates
    .execute()

  await db.schema
    .createTable('post_tags')
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
    // Copy of posts.published_at while the post is published (else null), so a tag archive is one
    // index range scan.
    .addColumn('published_at', 'text')
    .addPrimaryKeyConstraint('post_tags_pk', ['post_id', 'tag_id'])
    .execute()
  await db.schema.createIndex('post_tags_tag_idx').on('post_tags').columns(['tag_id', 'published_at', 'post_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['post_tags', 'tags', 'post_slugs', 'posts', 'uploads']) await db.schema.dropTable(t).execute()
}
