// SQL of retention: the rules, and the content each rule reaches.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export function listRules(db: Kysely<DB>) {
  return db.selectFrom('retention_rules').selectAll().orderBy('content_type').execute()
}

export async function replaceRules(db: Kysely<DB>, rules: { content_type: string; years: number; action: string }[], by: number, iso: string): Promise<void> {
  await db.deleteFrom('retention_rules').execute()
  if (rules.length) await db.insertInto('retention_rules').values(rules.map((r) => ({ ...r, updated_at: iso, updated_by: by }))).execute()
}

/** Updates older than the cutoff whose text is still stored. */
export function listOldUpdates(db: Kysely<DB>, cutoff: string) {
  return db.selectFrom('micro_posts').select(['id', 'author_id', 'body', 'created_at', 'deleted_at'])
    .where('created_at', '<', cutoff).where('body', '!=', '').orderBy('id').execute()
}

/** Comments older than the cutoff still holding text (delete) or an author (anonymise). */
export function listOldComments(db: Kysely<DB>, cutoff: string, action: string) {
  let q = db.selectFrom('comments').select(['id', 'author_id', 'body_md', 'created_at', 'deleted_at']).where('created_at', '<', cutoff)
  q = action === 'anonymise' ? q.where((eb) => eb.or([eb('author_id', 'is not', null), eb('author_name', 'is not', null)])) : q.where('body_md', '!=', '')
  return q.orderBy('id').execute()
}

export function listOldPosts(db: Kysely<DB>, cutoff: string) {
  return db.selectFrom('posts').select(['id', 'title', 'body_md', 'created_at', 'published_at'])
    .where((eb) => eb(eb.fn.coalesce('published_at', 'created_at'), '<', cutoff)).orderBy('id').execute()
}

export async function blankUpdate(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('micro_posts').set({ body: '', body_html: '' }).where('id', '=', id).execute()
}

export async function blankComment(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('comments').set({ body_md: '', body_html: '', author_name: null }).where('id', '=', id).execute()
}

export async function detachCommentAuthor(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('comments').set({ author_id: null, author_name: null }).where('id', '=', id).execute()
}

export async function deletePostRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('posts').where('id', '=', id).execute()
}
