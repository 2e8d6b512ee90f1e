// Uploaded images: their rows (the files live under DATA_DIR/uploads, see storage.ts).
import type { Insertable, Kysely, Selectable } from 'kysely'
import { containsExactly } from '../db/dialect.js'
import type { DB, UploadsTable } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export type UploadRow = Selectable<UploadsTable>

export async function findUpload(db: Kysely<DB>, id: number) {
  return (await uploadById(db, id))[0]
}

const uploadById = compiledOnce((db: Kysely<DB>, id: number) => db.selectFrom('uploads').selectAll().where('id', '=', id))

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

export async function deleteUploadRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('uploads').where('id', '=', id).execute()
}

/**
 * Where an image is shown: posts whose cover it is or whose text names its file (a few titles, for
 * the owner to see), and whether any older version of a post or any comment names it. `fileId` is
 * the 32 hex digits of its stored name, which every size of it shares. The text searches scan the
 * tables; it runs only when someone asks to delete an image. The name must match exactly, as on
 * SQLite so on PostgreSQL: stored names are lower-case hex, and the same digits in upper case name no
 * file we serve (the address answers 404), so they do not keep the image.
 */
export async function findUploadUses(db: Kysely<DB>, id: number, fileId: string) {
  const posts = await db.selectFrom('posts').select(['id', 'title', 'slug', 'status', 'author_id'])
    .where((eb) => eb.or([eb('cover_upload_id', '=', id), containsExactly(db, eb.ref('body_md'), fileId)]))
    .orderBy('id', 'desc').limit(5).execute()
  const revision = await db.selectFrom('post_revisions').select('id')
    .where((eb) => eb.or([eb('cover_upload_id', '=', id), containsExactly(db, eb.ref('body_md'), fileId)])).limit(1).executeTakeFirst()
  const comment = await db.selectFrom('comments').select('id').where((eb) => containsExactly(db, eb.ref('body_md'), fileId)).limit(1).executeTakeFirst()
  return { posts, elsewhere: revision !== undefined || comment !== undefined }
}

/** Rows of several uploads at once (the covers of a page of cards). */
export async function findUploadsByIds(db: Kysely<DB>, ids: (number | null | undefined)[]): Promise<Map<number, UploadRow>> {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))]
  if (!wanted.length) return new Map()
  return new Map((await uploadsByIds(db, ...wanted)).map((r) => [r.id, r]))
}

const uploadsByIds = compiledOnce((db: Kysely<DB>, ...ids: number[]) => db.selectFrom('uploads').selectAll().where('id', 'in', ids))

/** The alt texts of some images, by id (to name them, e.g. a cover in a comparison). */
export async function findUploadAlts(db: Kysely<DB>, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = ids.filter((id): id is number => id !== null)
  if (!wanted.length) return new Map()
  const rows = await db.selectFrom('uploads').select(['id', 'alt']).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, r.alt]))
}
