import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export async function newestChange(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('cache_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
  return Number(row?.seq ?? 0)
}

/** Deletes log rows up to and including `seq`. */
export async function deleteChangesUpTo(db: Kysely<DB>, seq: number): Promise<void> {
  await db.deleteFrom('cache_changes').where('seq', '<=', seq).execute()
}

/** Resolves when the connection is free: after the transaction that holds it (if any) has ended. */
export async function connectionFree(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db)
}
