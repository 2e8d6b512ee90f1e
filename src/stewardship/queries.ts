// SQL of ownership and review dates. The editors' list is bounded (LIST_MAX rows) and ordered on
// the indexed review_by.
import { sql, type Kysely, type Updateable } from 'kysely'
import type { DB, PostStewardshipTable } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export const MONTHS_KEY = 'reviewMonths'

export async function findReviewMonths(db: Kysely<DB>): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', MONTHS_KEY).executeTakeFirst())?.value
}

/**
 * Published posts with ids in (after, upTo] that have no stewardship row yet: a range of the primary
 * key, so each call reads a bounded slice of the posts however many there are.
 */
export function listPostsWithoutStewardship(db: Kysely<DB>, after: number, upTo: number) {
  return db.selectFrom('posts')
    .leftJoin('post_stewardship as s', 's.post_id', 'posts.id')
    .select(['posts.id', 'posts.author_id', 'posts.published_at'])
    .where('posts.id', '>', after).where('posts.id', '<=', upTo)
    .where('posts.status', '=', 'published').where('posts.published_at', 'is not', null).where('s.post_id', 'is', null)
    .orderBy('posts.id').execute()
}

export async function findHighestPostId(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('posts').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst()
  return Number(r?.id ?? 0)
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

/**
 * Whether the title order walks the posts by title (posts_title_idx) until `limit` are due, rather
 * than sort every due post: sorting costs about 2.5 µs a due post, the walk about 5 µs a post passed,
 * and it passes about limit × posts / due of them. So the walk once due² > 400 × posts (limit 200):
 * at 100,000 posts at most about 16 ms either way (sorting 100,000 due posts took 250 ms, during
 * which a SQLite server answers nobody else). `posts`: the highest post id will do.
 */
export function walksByTitle(due: number, posts: number): boolean {
  return due * due > 400 * posts
}

/**
 * Published posts due for review on or before `until` (YYYY-MM-DD), at most `limit`; `due` is their
 * number (countDue). By due date the rows come from review_by's index in order, and the limit stops
 * the walk. By title: see walksByTitle.
 */
export function listDue(db: Kysely<DB>, until: string, sort: ReviewSort, limit: number, plan: { due: number; posts: number }) {
  const columns = ['p.id', 'p.title', 'p.slug', 's.owner_unit', 's.review_by', 's.reviewed_at', 'o.display_name as owner_name', 'o.username as owner_username'] as const
  if (sort === 'title' && walksByTitle(plan.due, plan.posts)) {
    return db.selectFrom('posts as p')
      .innerJoin('post_stewardship as s', 's.post_id', 'p.id')
      .leftJoin('users as o', 'o.id', 's.owner_id')
      .select(columns)
      // status || '': SQLite would read the posts by status (all of them, then sort) rather than by title.
      .where(sql`p.status || ''`, '=', 'published').where('s.review_by', '<=', until)
      .orderBy('p.title').orderBy('p.id').limit(limit).execute()
  }
  // A cross join read from the left: SQLite would otherwise start from the posts (by status) and
  // sort every published post's row; PostgreSQL plans it as the inner join it is.
  const q = db.selectFrom('post_stewardship as s')
    .crossJoin('posts as p')
    .leftJoin('users as o', 'o.id', 's.owner_id')
    .select(columns)
    .whereRef('p.id', '=', 's.post_id')
    .where('p.status', '=', 'published').where('s.review_by', '<=', until)
  const ordered = sort === 'title'
    ? q.orderBy('p.title').orderBy('p.id')
    : q.orderBy('s.review_by', sort === 'due' ? 'asc' : 'desc').orderBy('s.post_id', sort === 'due' ? 'asc' : 'desc')
  return ordered.limit(limit).execute()
}

/**
 * How many published posts are due on or before `until`. Counted as the rows due (review_by's index
 * alone) less those of posts no longer published (few: only a published post gets a row): the join
 * over every due row took 50 ms at 100,000 posts.
 */
export async function countDue(db: Kysely<DB>, until: string): Promise<number> {
  const rows = await db.selectFrom('post_stewardship').select((eb) => eb.fn.countAll<number>().as('n')).where('review_by', '<=', until).executeTakeFirst()
  const gone = await db.selectFrom('posts as p').innerJoin('post_stewardship as s', 's.post_id', 'p.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    // < or >, not !=: two ranges of the index on status, where != would read every post.
    .where((eb) => eb.or([eb('p.status', '<', 'published'), eb('p.status', '>', 'published')])).where('s.review_by', '<=', until).executeTakeFirst()
  return Number(rows?.n ?? 0) - Number(gone?.n ?? 0)
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
