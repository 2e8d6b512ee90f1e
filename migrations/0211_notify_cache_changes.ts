import type { Kysely } from 'kysely'
import { isPostgres } from './dialect.js'
import * as postgres from './postgres/0211_cache_notify.js'

// On PostgreSQL, changes to what readers see are signalled with NOTIFY (src/coherence/postgres.ts);
// SQLite keeps the log rows of 0190 and 0191.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await postgres.up(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await postgres.down(db)
}
