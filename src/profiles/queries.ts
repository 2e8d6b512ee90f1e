// SQL of profiles: the fields of the author page and the stored picture.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export function findProfile(db: Kysely<DB>, username: string) {
  return db.selectFrom('users')
    .select(['id', 'username', 'display_name', 'unit', 'job_title', 'bio', 'avatar_path', 'is_active'])
    .where('username', '=', username.toLowerCase()).executeTakeFirst()
}

export function findProfileById(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').select(['id', 'username', 'display_name', 'unit', 'job_title', 'bio', 'avatar_path']).where('id', '=', id).executeTakeFirst()
}

export async function updateProfileText(db: Kysely<DB>, id: number, v: { unit: string; jobTitle: string; bio: string }, now: string): Promise<void> {
  await db.updateTable('users').set({ unit: v.unit, job_title: v.jobTitle, bio: v.bio, updated_at: now }).where('id', '=', id).execute()
}

export async function updateAvatarPath(db: Kysely<DB>, id: number, path: string | null, now: string): Promise<void> {
  await db.updateTable('users').set({ avatar_path: path, updated_at: now }).where('id', '=', id).execute()
}

/** Whose picture a stored file is (its main path), if anyone's. */
export function findAvatarOwner(db: Kysely<DB>, path: string) {
  return db.selectFrom('users').select('id').where('avatar_path', '=', path).executeTakeFirst()
}
