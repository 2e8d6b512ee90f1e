// SQL of bookmarks ("Les senere"): a person's private list of posts and updates to read later.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export type BookmarkKind = 'post' | 'micro'
const column = (kind: BookmarkKind) => (kind === 'post' ? 'post_id' : 'micro_id')

export async function insertBookmark(db: Kysely<DB>, userId: number, kind: BookmarkKind, id: number, now: string): Promise<void> {
  await db.insertInto('bookmarks').values({ user_id: userId, post_id: kind === 'post' ? id : null, micro_id: kind === 'micro' ? id : null, created_at: now }).execute()
}

/** Removes a bookmark; false when there was none. */
export async function deleteBookmark(db: Kysely<DB>, userId: number, kind: BookmarkKind, id: number): Promise<boolean> {
  const r = await db.deleteFrom('bookmarks').where('user_id', '=', userId).where(column(kind), '=', id).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

const bookmarkedAmong = compiledOnce((db: Kysely<DB>, userId: number, ...postIds: number[]) =>
  db.selectFrom('bookmarks').select('post_id').where('user_id', '=', userId).where('post_id', 'in', postIds))

/** Which of these posts the person keeps (one query for a page of cards, on every post page). */
export async function listBookmarkedPostIds(db: Kysely<DB>, userId: number, postIds: number[]): Promise<Set<number>> {
  if (!postIds.length) return new Set()
  const rows = await bookmarkedAmong(db, userId, ...postIds)
  return new Set(rows.map((r) => r.post_id!))
}

/**
 * A page of the person's bookmarks, newest kept first, before bookmark `before` (keyset over
 * bookmarks_user_idx). Only what anyone may read right now: published posts, updates neither deleted
 * nor hidden — a bookmark of something withdrawn stays, unseen, and shows again if it comes back.
 */
export function listVisibleBookmarks(db: Kysely<DB>, userId: number, before: number | undefined, limit: number) {
  let q = db.selectFrom('bookmarks as b')
    .leftJoin('posts as p', 'p.id', 'b.post_id')
    .leftJoin('micro_posts as m', 'm.id', 'b.micro_id')
    .select(['b.id', 'b.post_id', 'b.micro_id', 'b.created_at'])
    .where('b.user_id', '=', userId)
    .where((eb) => eb.or([
      eb('p.status', '=', 'published'),
      eb.and([eb('m.id', 'is not', null), eb('m.deleted_at', 'is', null), eb('m.hidden_at', 'is', null)]),
    ]))
    .orderBy('b.id', 'desc')
    .limit(limit + 1)
  if (before) q = q.where('b.id', '<', before)
  return q.execute()
}

export async function deleteBookmarksOf(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('bookmarks').where('user_id', '=', userId).execute()
}
