// SQL of ownership and review dates. The editors' list is bounded (LIST_MAX rows) and ordered on
// the indexed review_by.
import type { Kysely, Updateable } from 'kysely'
import type { DB, PostStewardshipTable } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export const MONTHS_KEY = 'reviewMonths'

export async function findReviewMonths(db: Kysely<DB>): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', MONTHS_KEY).executeTakeFirst())?.value
}

/** Published posts that have no stewardship row yet (at most `limit`). */
export function listPostsWithoutStewardship(db: Kysely<DB>, limit: number) {
  return db.selectFrom('posts')
    .leftJoin('post_stewardship as s', 's.post_id', 'posts.id')
    .select(['posts.id', 'posts.author_id', 'posts.published_at'])
    .where('posts.status', '=', 'published').where('posts.published_at', 'is not', null).where('s.post_id', 'is', null)
    .orderBy('posts.id').limit(limit).execute()
}

export async function insertStewardship(db: Kysely<DB>, rows: { post_id: number; owner_id: number; review_by: string }[]): Promise<void> {
  if (rows.length) await db.insertInto('post_stewardship').values(rows).onConflict((oc) => oc.column('post_id').doNothing()).execute()
}

export async function findStewardship(db: Kysely<DB>, postId: number) {
  return (await stewardshipOf(db, postId))[0]
}

const stewardshipOf = compiledOnce((db: Kysely<DB>, postId: number) => db.selectFrom('post_stewardship as s')
    .leftJoin('users as o', 'o.id', 's.owner_id')
    .leftJoin('users as r', 'r.id', 's.reviewed_by')
    .select(['s.post_id', 's.owner_id', 's.owner_unit', 's.review_by', 's.reviewed_at', 's.reviewed_by', 's.reminded_for',
      'o.username as owner_username', 'o.display_name as owner_name', 'r.display_name as reviewer_name'])
    .where('s.post_id', '=', postId))

export async function updateStewardship(db: Kysely<DB>, postId: number, patch: Updateable<PostStewardshipTable>): Promise<void> {
  await db.updateTable('post_stewardship').set(patch).where('post_id', '=', postId).execute()
}

export type ReviewSort = 'due' | 'due-desc' | 'title'

/** Published posts due for review on or before `until` (YYYY-MM-DD), at most `limit`. */
export function listDue(db: Kysely<DB>, until: string, sort: ReviewSort, limit: number) {
  let q = db.selectFrom('post_stewardship as s')
    .innerJoin('posts as p', 'p.id', 's.post_id')
    .leftJoin('users as o', 'o.id', 's.owner_id')
    .select(['p.id', 'p.title', 'p.slug', 's.owner_unit', 's.review_by', 's.reviewed_at', 'o.display_name as owner_name', 'o.username as owner_username'])
    .where('p.status', '=', 'published').where('s.review_by', '<=', until)
  q = sort === 'title' ? q.orderBy('p.title').orderBy('p.id') : q.orderBy('s.review_by', sort === 'due' ? 'asc' : 'desc').orderBy('p.id')
  return q.limit(limit).execute()
}

export async function countDue(db: Kysely<DB>, until: string): Promise<number> {
  const r = await db.selectFrom('post_stewardship as s').innerJoin('posts as p', 'p.id', 's.post_id')
    .select((eb) => eb.fn.countAll<number>().as('n')).where('p.status', '=', 'published').where('s.review_by', '<=', until).executeTakeFirst()
  return Number(r?.n ?? 0)
}

/** Due posts whose reminder for the current review date has not gone out (a batch). */
export function listUnreminded(db: Kysely<DB>, today: string, limit: number) {
  return db.selectFrom('post_stewardship as s')
    .innerJoin('posts as p', 'p.id', 's.post_id')
    .select(['p.id', 'p.title', 'p.slug', 'p.author_id', 's.owner_id', 's.review_by'])
    .where('p.status', '=', 'published').where('s.review_by', '<=', today)
    .where((eb) => eb.or([eb('s.reminded_for', 'is', null), eb('s.reminded_for', '!=', eb.ref('s.review_by'))]))
    .orderBy('s.review_by').orderBy('p.id').limit(limit).execute()
}

export function findActiveUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').select(['id', 'display_name']).where('username', '=', username).where('is_active', '=', 1).executeTakeFirst()
}
