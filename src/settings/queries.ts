import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export function listSettings(db: Kysely<DB>) {
  return db.selectFrom('settings').select(['key', 'value']).execute()
}

export async function upsertSetting(db: Kysely<DB>, key: string, value: string, now: string, by: number | null): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now, updated_by: by })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: by }))
    .execute()
}

/** Active editors, counted up to `upTo` (four eyes needs to know only "one" or "more"). */
export async function countActiveEditors(db: Kysely<DB>, upTo: number): Promise<number> {
  const rows = await db.selectFrom('users').select('id').where('is_editor', '=', 1).where('is_active', '=', 1).limit(upTo).execute()
  return rows.length
}
