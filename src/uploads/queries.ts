// Uploaded images: their rows (the files live under DATA_DIR/uploads, see storage.ts).
import type { Insertable, Kysely, Selectable } from 'kysely'
import type { DB, UploadsTable } from '../db/schema.js'

export type UploadRow = Selectable<UploadsTable>

export function findUpload(db: Kysely<DB>, id: number) {
  return db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The row owning a stored file: its main path ('2026/11/<id>.webp'). */
export function findUploadByPath(db: Kysely<DB>, path: string) {
  return db.selectFrom('uploads').select(['id', 'mime']).where('path', '=', path).executeTakeFirst()
}

export async function insertUpload(db: Kysely<DB>, row: Insertable<UploadsTable>): Promise<number> {
  const r = await db.insertInto('uploads').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updateUploadText(db: Kysely<DB>, id: number, alt: string, credit: string): Promise<void> {
  await db.updateTable('uploads').set({ alt, credit }).where('id', '=', id).execute()
}

/** A person's images, newest first; `limit + 1` rows. */
export function listUploadsOf(db: Kysely<DB>, ownerId: number, beforeId: number | undefined, limit: number) {
  let q = db.selectFrom('uploads').selectAll().where('owner_id', '=', ownerId).orderBy('id', 'desc').limit(limit + 1)
  if (beforeId !== undefined) q = q.where('id', '<', beforeId)
  return q.execute()
}
