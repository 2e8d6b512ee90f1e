import type { Kysely } from 'kysely'

// The editorial state beside the reader-facing posts row:
// - revision_id: the revision the row holds now; published_revision_id: the one last published.
// - edit_revision_id / edit_status: a change to a published (or scheduled) post that awaits review;
//   the row stays as readers see it until the change is approved.
// - queued_at: when the post or its change entered the editorial queue (null when not in it).
// - review_note: the editors' latest comment, shown to the author.
export async function up(db: Kysely<any>): Promise<void> {
  const columns: [string, 'integer' | 'text'][] = [
    ['revision_id', 'integer'],
    ['published_revision_id', 'integer'],
    ['edit_revision_id', 'integer'],
    ['edit_status', 'text'], // draft | submitted | changes_requested | rejected
    ['queued_at', 'text'],
    ['review_note', 'text'],
    ['review_note_at', 'text'],
  ]
  for (const [name, type] of columns) await db.schema.alterTable('posts').addColumn(name, type).execute()
  await db.schema.createIndex('posts_queued_idx').on('posts').columns(['queued_at', 'id']).execute()
  await db.schema.createIndex('posts_author_updated_idx').on('posts').columns(['author_id', 'updated_at', 'id']).execute()
  await db.schema.createIndex('posts_pinned_idx').on('posts').column('pinned_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const idx of ['posts_pinned_idx', 'posts_author_updated_idx', 'posts_queued_idx']) await db.schema.dropIndex(idx).execute()
  for (const name of ['review_note_at', 'review_note', 'queued_at', 'edit_status', 'edit_revision_id', 'published_revision_id', 'revision_id']) {
    await db.schema.alterTable('posts').dropColumn(name).execute()
  }
}
