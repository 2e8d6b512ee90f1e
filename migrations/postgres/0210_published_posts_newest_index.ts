import { sql, type Kysely } from 'kysely'

// PostgreSQL's part of 0210: an index in the order the newest published posts are read
// (published_at desc NULLS LAST, id desc); a backward scan of posts_status_published_idx gives NULLs first.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index posts_published_newest_idx on posts (published_at desc nulls last, id desc) where status = 'published'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists posts_published_newest_idx`.execute(db)
}
