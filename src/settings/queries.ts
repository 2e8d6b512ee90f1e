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
