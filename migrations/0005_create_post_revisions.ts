import type { Kysely } from 'kysely'

// Every save of a blog post keeps a revision: who saved it, when, and the whole content (Markdown,
// rendered HTML, title, lead, tags, cover, slug) with a SHA-256 of it, the hash the audit trail
// records when a revision is submitted, approved or published. Revisions go with their post when it
// is deleted; the audit trail (audit_events) stays.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('post_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id').onDelete('cascade'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id')) // who saved it
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('lead', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_md', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('body_html', 'text', (c) => c.notNull().defaultTo('')) // sanitized, from src/markdown
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('')) // normalised names, comma-separated
    .addColumn('cover_upload_id', 'integer', (c) => c.references('uploads.id').onDelete('set null'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('restored_from', 'integer') // the revision this one restored, if any
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('post_revisions_post_idx').on('post_revisions').columns(['post_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('post_revisions').execute()
}
