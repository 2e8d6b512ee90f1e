// SQL of the privacy rights. Which rows are "about a person" is read from the schema itself (every
// column with a foreign key to users, SQLite's pragma), so a table added later is exported too; the
// few references without a foreign key are listed here.
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { caseInsensitiveLike, isPostgres } from '../db/dialect.js'

export interface PersonColumn { table: string; column: string }

const WITHOUT_FOREIGN_KEY: PersonColumn[] = [
  { table: 'audit_events', column: 'actor_id' },
  { table: 'settings', column: 'updated_by' },
]

/** The columns that point at users.id, from the catalogue of SQLite or of PostgreSQL. */
export async function listPersonColumns(db: Kysely<DB>): Promise<PersonColumn[]> {
  const { rows } = isPostgres(db) ? await sql<PersonColumn>`
    select c.conrelid::regclass::text as "table", a.attname as "column"
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'f' and c.confrelid = 'users'::regclass
    order by 1, 2`.execute(db) : await sql<PersonColumn>`
    select m.name as "table", f."from" as "column"
    from sqlite_master m join pragma_foreign_key_list(m.name) f
    where m.type = 'table' and f."table" = 'users'
    order by m.name, f."from"`.execute(db)
  return [...rows, ...WITHOUT_FOREIGN_KEY]
}

export async function listRowsWhere(db: Kysely<DB>, c: PersonColumn, id: number): Promise<Record<string, unknown>[]> {
  const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(c.table)} where ${sql.ref(c.column)} = ${id}`.execute(db)
  return rows
}

export function findPerson(db: Kysely<DB>, id: number) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export function listAuditAboutUser(db: Kysely<DB>, id: number) {
  return db.selectFrom('audit_events').selectAll().where('subject_type', '=', 'user').where('subject_id', '=', id).orderBy('id').execute()
}

export function listImportedIdentity(db: Kysely<DB>, id: number) {
  return db.selectFrom('wordpress_map').selectAll().where('kind', '=', 'user').where('target_id', '=', id).execute()
}

export function listLoginFailuresNaming(db: Kysely<DB>, username: string) {
  return db.selectFrom('login_failures').selectAll().where('key', caseInsensitiveLike(db), `%${username.replace(/[%_]/g, '')}%`).execute()
}

export function listOwnUploads(db: Kysely<DB>, id: number) {
  return db.selectFrom('uploads').select(['id', 'path', 'mime', 'alt', 'created_at']).where('owner_id', '=', id).orderBy('id').execute()
}

export function listLivingUpdateIds(db: Kysely<DB>, authorId: number) {
  return db.selectFrom('micro_posts').select('id').where('author_id', '=', authorId).where('deleted_at', 'is', null).execute()
}

export function listLivingCommentIds(db: Kysely<DB>, authorId: number) {
  return db.selectFrom('comments').select('id').where('author_id', '=', authorId).where('deleted_at', 'is', null).execute()
}

export function listPostIdsOf(db: Kysely<DB>, authorId: number) {
  return db.selectFrom('posts').select('id').where('author_id', '=', authorId).execute()
}

/** Deleted content keeps its place in threads, but nothing of what was written. */
export async function blankDeletedContent(db: Kysely<DB>, authorId: number): Promise<void> {
  await db.updateTable('micro_posts').set({ body: '', body_html: '' }).where('author_id', '=', authorId).where('deleted_at', 'is not', null).execute()
  await db.updateTable('comments').set({ body_md: '', body_html: '', author_name: null }).where('author_id', '=', authorId).where('deleted_at', 'is not', null).execute()
}

export async function deletePostRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('posts').where('id', '=', id).execute()
}

export async function anonymiseAccount(db: Kysely<DB>, id: number, username: string, displayName: string, iso: string): Promise<void> {
  await db.updateTable('users').set({
    username, display_name: displayName, email: null, bio: '', unit: '', job_title: '', avatar_path: null, password_hash: null, is_active: 0, is_editor: 0, is_admin: 0, language: null, updated_at: iso,
  }).where('id', '=', id).execute()
  await db.updateTable('comments').set({ author_name: null }).where('author_id', '=', id).execute()
  for (const table of ['sessions', 'invitations', 'feed_keys', 'notifications', 'notification_optouts', 'password_resets', 'mail_preferences', 'mail_digests'] as const) {
    await db.deleteFrom(table).where('user_id', '=', id).execute()
  }
  await db.deleteFrom('wordpress_map').where('kind', '=', 'user').where('target_id', '=', id).execute()
}

export async function deleteLoginFailuresNaming(db: Kysely<DB>, username: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', caseInsensitiveLike(db), `%${username.replace(/[%_]/g, '')}%`).execute()
}
