import type { Kysely } from 'kysely'
import { isPostgres } from './dialect.js'
import * as postgres from './postgres/0210_published_posts_newest_index.js'

// The newest published posts are read ordered by published_at desc NULLS LAST on both databases
// (src/db/dialect.ts). On SQLite posts_status_published_idx already has that order (NULLs are the
// smallest values), so only PostgreSQL gets a new index.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await postgres.up(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await postgres.down(db)
}
