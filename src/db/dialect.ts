// Which dialect a Kysely instance (or a transaction of it) speaks. Where SQLite and PostgreSQL must
// differ, one small module per concern asks this and keeps both variants side by side.
//
// ORDER BY on a column that may be NULL says where the NULLs go (`nullsLast()`): left to itself,
// SQLite sorts them first in ascending order and PostgreSQL last. Undated rows go last, on both.
import { type Expression, type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely'
import { RehearsalAdapter } from './postgres/rehearsal.js'

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

/** A pattern match that ignores case on both (SQLite's `like` already does, for ASCII letters). */
export function caseInsensitiveLike(db: Kysely<any>): 'like' | 'ilike' {
  return isPostgres(db) ? 'ilike' : 'like'
}

/**
 * Whether `text` contains `part`, letter case counting on both (SQLite's `like` ignores ASCII case,
 * PostgreSQL's does not; neither `instr` nor `strpos` knows wildcards).
 */
export function containsExactly(db: Kysely<any>, text: Expression<string | null>, part: string): RawBuilder<boolean> {
  return isPostgres(db) ? sql<boolean>`strpos(${text}, ${part}) > 0` : sql<boolean>`instr(${text}, ${part}) > 0`
}

/**
 * Serialises the transactions that read and then write the same thing (the audit chain's head, a
 * login throttle's count). SQLite's single writer already does; PostgreSQL (read committed) takes a
 * transaction-scoped advisory lock on the name. Call inside the transaction. A rehearsal (a dry run)
 * takes none: it is rolled back, and a lock held until then would stop the site's own writes.
 */
export async function serialize(db: Kysely<any>, name: string): Promise<void> {
  if (isPostgres(db) && !(db.getExecutor().adapter instanceof RehearsalAdapter)) await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(db)
}
