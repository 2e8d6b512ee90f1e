// SQL of comments on blog posts. posts.comment_count counts visible comments (neither deleted nor
// hidden), replies included; it is changed in the transaction that changes a comment's visibility.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export interface CommentRow {
  id: number
  post_id: number
  author_id: number | null
  author_name: string | null
  username: string | null
  display_name: string | null
  parent_id: number | null
  body_md: string
  body_html: string
  created_at: string
  edited_at: string | null
  deleted_at: string | null
  hidden_at: string | null
  hidden_reason: string | null
  /** The author's picture (src/profiles/avatar.ts). */
  avatar_path?: string | null
}

/** A comment as lists show it: without its Markdown (only editing needs that). */
export type CommentListRow = Omit<CommentRow, 'body_md'>

const LIST_COLUMNS = [
  'c.id', 'c.post_id', 'c.author_id', 'c.author_name', 'u.username', 'u.display_name', 'c.parent_id',
  'c.body_html', 'c.created_at', 'c.edited_at', 'c.deleted_at', 'c.hidden_at', 'c.hidden_reason', 'u.avatar_path',
] as const

function selectCommentList(db: Kysely<DB>) {
  return db.selectFrom('comments as c').leftJoin('users as u', 'u.id', 'c.author_id').select(LIST_COLUMNS)
}

function selectComments(db: Kysely<DB>) {
  return selectCommentList(db).select('c.body_md')
}

export function findPostForComments(db: Kysely<DB>, postId: number) {
  return db
    .selectFrom('posts')
    .select(['id', 'slug', 'title', 'status', 'author_id', 'comments_closed', 'comment_count'])
    .where('id', '=', postId)
    .executeTakeFirst()
}

export async function findComment(db: Kysely<DB>, id: number): Promise<CommentRow | undefined> {
  return selectComments(db).where('c.id', '=', id).executeTakeFirst()
}

/** Top-level comments of a post in order (keyset after `after`), deleted ones included. */
export function listTopLevel(db: Kysely<DB>, postId: number, limit: number, after?: number): Promise<CommentListRow[]> {
  return after ? topLevelAfter(db, postId, limit + 1, after) : topLevel(db, postId, limit + 1)
}

const topLevel = compiledOnce((db: Kysely<DB>, postId: number, limit: number) =>
  selectCommentList(db).where('c.post_id', '=', postId).where('c.parent_id', 'is', null).orderBy('c.id').limit(limit))
const topLevelAfter = compiledOnce((db: Kysely<DB>, postId: number, limit: number, after: number) =>
  selectCommentList(db).where('c.post_id', '=', postId).where('c.parent_id', 'is', null).where('c.id', '>', after).orderBy('c.id').limit(limit))

/** The replies to some comments, in order (comments_parent_idx). */
export function listReplies(db: Kysely<DB>, parentIds: number[]): Promise<CommentListRow[]> {
  if (!parentIds.length) return Promise.resolve([])
  return repliesTo(db, ...parentIds)
}

const repliesTo = compiledOnce((db: Kysely<DB>, ...parentIds: number[]) =>
  selectCommentList(db).where('c.parent_id', 'in', parentIds).orderBy('c.parent_id').orderBy('c.id'))

export async function insertComment(
  db: Kysely<DB>, row: { postId: number; authorId: number; parentId: number | null; bodyMd: string; bodyHtml: string; now: string },
): Promise<number> {
  const r = await db
    .insertInto('comments')
    .values({ post_id: row.postId, author_id: row.authorId, parent_id: row.parentId, body_md: row.bodyMd, body_html: row.bodyHtml, created_at: row.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function updateCommentBody(db: Kysely<DB>, id: number, bodyMd: string, bodyHtml: string, now: string): Promise<void> {
  await db.updateTable('comments').set({ body_md: bodyMd, body_html: bodyHtml, edited_at: now }).where('id', '=', id).execute()
}

export async function markCommentDeleted(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('comments').set({ deleted_at: now }).where('id', '=', id).execute()
}

export async function setCommentHiddenColumns(db: Kysely<DB>, id: number, hidden: { at: string; by: number; reason: string } | null): Promise<void> {
  await db
    .updateTable('comments')
    .set(hidden ? { hidden_at: hidden.at, hidden_by: hidden.by, hidden_reason: hidden.reason } : { hidden_at: null, hidden_by: null, hidden_reason: null })
    .where('id', '=', id)
    .execute()
}

export async function addToCommentCount(db: Kysely<DB>, postId: number, delta: number): Promise<void> {
  await db.updateTable('posts').set((eb) => ({ comment_count: eb('comment_count', '+', delta) })).where('id', '=', postId).execute()
}

export async function setCommentsClosed(db: Kysely<DB>, postId: number, closed: boolean): Promise<void> {
  await db.updateTable('posts').set({ comments_closed: closed ? 1 : 0 }).where('id', '=', postId).execute()
}

/** Comments by id with their post's slug and title (for the moderation queue). */
export function listCommentsWithPost(db: Kysely<DB>, ids: number[]) {
  if (!ids.length) return Promise.resolve([])
  return selectComments(db)
    .innerJoin('posts as p', 'p.id', 'c.post_id')
    .select(['p.slug as post_slug', 'p.title as post_title'])
    .where('c.id', 'in', ids)
    .execute()
}
