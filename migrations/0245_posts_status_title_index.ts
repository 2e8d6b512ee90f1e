import type { Kysely } from 'kysely'

// The editors' review list sorted by title (src/stewardship/queries.ts listDue): with many posts due
// it walks the published posts in title order until a page is due, instead of sorting every one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('posts_status_title_idx').on('posts').columns(['status', 'title', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('posts_status_title_idx').execute()
}
