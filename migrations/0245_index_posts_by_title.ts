import type { Kysely } from 'kysely'

// The editors' review list sorted by title (src/stewardship/queries.ts listDue): with many posts due
// it walks the posts in title order until a page of them is due, instead of sorting every one. Not
// (status, title): beside posts_status_published_idx on a database analysed before this index
// existed, SQLite took it for the front page's `status = ? order by published_at` and sorted all
// 100,000 posts for every page.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('posts_title_idx').on('posts').columns(['title', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('posts_title_idx').execute()
}
