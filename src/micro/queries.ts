// SQL of the microblog. A thread's first update has root_id = its own id; replies carry the root's id,
// so a whole conversation is one range of micro_posts_thread_idx. Counts live on the rows.
import { sql, type ExpressionBuilder, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export interface MicroRow {
  id: number
  author_id: number
  username: string
  display_name: string
  body: string
  body_html: string
  reply_to_id: number | null
  root_id: number | null
  like_count: number
  reply_count: number
  created_at: string
  deleted_at: string | null
  hidden_at: string | null
  hidden_reason: string | null
  reply_to_username: string | null
  liked: number
  /** The viewer keeps it under "Les senere" (src/bookmarks). */
  bookmarked: number
  /** The author's picture (src/profiles/avatar.ts); absent from rows made elsewhere. */
  avatar_path?: string | null
}

type OnMicro = ExpressionBuilder<DB & { m: DB['micro_posts'] }, 'm'>

// Whether the viewer liked update m, and keeps it under «Les senere» (src/bookmarks).
const likedBy = (eb: OnMicro, viewerId: number) =>
  eb.exists(eb.selectFrom('micro_likes as l').select('l.micro_id').whereRef('l.micro_id', '=', 'm.id').where('l.user_id', '=', viewerId)).as('liked')
const bookmarkedBy = (eb: OnMicro, viewerId: number) =>
  eb.exists(eb.selectFrom('bookmarks as b').select('b.micro_id').whereRef('b.micro_id', '=', 'm.id').where('b.user_id', '=', viewerId)).as('bookmarked')

// The update, its author and whom it replies to: the same for every reader.
function selectUpdates(db: Kysely<DB>) {
  return db
    .selectFrom('micro_posts as m')
    .innerJoin('users as u', 'u.id', 'm.author_id')
    .leftJoin('micro_posts as p', 'p.id', 'm.reply_to_id')
    .leftJoin('users as pu', 'pu.id', 'p.author_id')
    .select([
      'm.id', 'm.author_id', 'u.username', 'u.display_name', 'm.body', 'm.body_html', 'm.reply_to_id', 'm.root_id',
      'm.like_count', 'm.reply_count', 'm.created_at', 'm.deleted_at', 'm.hidden_at', 'm.hidden_reason',
      'pu.username as reply_to_username', 'u.avatar_path',
    ])
}

// One select for every list but the timeline: the update and whether the viewer liked and keeps it.
function selectMicro(db: Kysely<DB>, viewerId: number | null) {
  return selectUpdates(db)
    .select((eb) => likedBy(eb, viewerId ?? 0))
    .select((eb) => bookmarkedBy(eb, viewerId ?? 0))
}

export async function findMicro(db: Kysely<DB>, id: number, viewerId: number | null = null): Promise<MicroRow | undefined> {
  return (await selectMicro(db, viewerId).where('m.id', '=', id).executeTakeFirst()) as MicroRow | undefined
}

// The timeline's window: visible updates, newest first, before the update `before` (keyset by id).
const timelineWindow = (eb: OnMicro, before?: number) =>
  eb.and([eb('m.deleted_at', 'is', null), eb('m.hidden_at', 'is', null), ...(before ? [eb('m.id', '<', before)] : [])])

/** A timeline row: the viewer's likes and bookmarks come apart (listMarksInWindow), the same for everyone. */
export type TimelineRow = Omit<MicroRow, 'liked' | 'bookmarked'>

/** Visible updates, newest first, before the update `before` (keyset by id). */
export async function listTimeline(db: Kysely<DB>, limit: number, before?: number): Promise<TimelineRow[]> {
  return (await (before ? timelineBefore(db, limit + 1, before) : timeline(db, limit + 1))) as TimelineRow[]
}

const timelinePage = (db: Kysely<DB>, limit: number, before?: number) =>
  selectUpdates(db).where((eb) => timelineWindow(eb, before)).orderBy('m.id', 'desc').limit(limit)
const timeline = compiledOnce((db: Kysely<DB>, limit: number) => timelinePage(db, limit))
const timelineBefore = compiledOnce(timelinePage)

/**
 * Which updates of a timeline page (the same window as listTimeline) the viewer liked, and which they
 * keep under «Les senere»: one statement, each of the window's ids looked up by key in each. The
 * window is the outer loop (a cross join: SQLite keeps the order as written), so a reader with many
 * likes or bookmarks costs no more. `micro_id in (window)` cost three to four times this: SQLite
 * builds a temporary index of the window for each side.
 */
export async function listMarksInWindow(db: Kysely<DB>, viewerId: number, limit: number, before?: number): Promise<{ micro_id: number; mark: 'liked' | 'bookmarked' }[]> {
  return before ? marksBefore(db, viewerId, limit, before) : marks(db, viewerId, limit)
}

const marksInWindow = (db: Kysely<DB>, viewerId: number, limit: number, before?: number) => {
  const window = () => db.selectFrom('micro_posts as m').select('m.id').where((eb) => timelineWindow(eb, before)).orderBy('m.id', 'desc').limit(limit).as('w')
  return db
    .selectFrom(window())
    .crossJoin('micro_likes as l')
    .select(['l.micro_id', sql<'liked' | 'bookmarked'>`'liked'`.as('mark')])
    .whereRef('l.micro_id', '=', 'w.id')
    .where('l.user_id', '=', viewerId)
    .unionAll(db
      .selectFrom(window())
      .crossJoin('bookmarks as b')
      .select(['b.micro_id', sql<'liked' | 'bookmarked'>`'bookmarked'`.as('mark')])
      .whereRef('b.micro_id', '=', 'w.id')
      .where('b.user_id', '=', viewerId)
      .$narrowType<{ micro_id: number }>())
}
const marks = compiledOnce((db: Kysely<DB>, viewerId: number, limit: number) => marksInWindow(db, viewerId, limit))
const marksBefore = compiledOnce(marksInWindow)

/** A whole conversation in order, deleted and hidden updates included (they keep the shape). */
export async function listThread(db: Kysely<DB>, rootId: number, viewerId: number | null, limit: number, after?: number): Promise<MicroRow[]> {
  let q = selectMicro(db, viewerId).where('m.root_id', '=', rootId).orderBy('m.id', 'asc').limit(limit + 1)
  if (after) q = q.where('m.id', '>', after)
  return (await q.execute()) as MicroRow[]
}

/** One person's visible updates, newest first; keyset over (created_at, id) in micro_posts_author_idx. */
export async function listUserUpdates(
  db: Kysely<DB>, authorId: number, viewerId: number | null, limit: number, before?: { createdAt: string; id: number },
): Promise<MicroRow[]> {
  let q = selectMicro(db, viewerId)
    .where('m.author_id', '=', authorId)
    .where('m.deleted_at', 'is', null)
    .where('m.hidden_at', 'is', null)
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit + 1)
  if (before) q = q.where(({ eb, refTuple, tuple }) => eb(refTuple('m.created_at', 'm.id'), '<', tuple(before.createdAt, before.id)))
  return (await q.execute()) as MicroRow[]
}

export async function insertMicro(
  db: Kysely<DB>, row: { authorId: number; body: string; bodyHtml: string; replyToId: number | null; rootId: number | null; now: string },
): Promise<number> {
  const r = await db
    .insertInto('micro_posts')
    .values({ author_id: row.authorId, body: row.body, body_html: row.bodyHtml, reply_to_id: row.replyToId, root_id: row.rootId, created_at: row.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function setRootToSelf(db: Kysely<DB>, id: number): Promise<void> {
  await db.updateTable('micro_posts').set({ root_id: id }).where('id', '=', id).execute()
}

export async function addToReplyCount(db: Kysely<DB>, id: number, delta: number): Promise<void> {
  await db.updateTable('micro_posts').set((eb) => ({ reply_count: eb('reply_count', '+', delta) })).where('id', '=', id).execute()
}

export async function addToLikeCount(db: Kysely<DB>, id: number, delta: number): Promise<void> {
  await db.updateTable('micro_posts').set((eb) => ({ like_count: eb('like_count', '+', delta) })).where('id', '=', id).execute()
}

export async function markMicroDeleted(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('micro_posts').set({ deleted_at: now }).where('id', '=', id).execute()
}

export async function setMicroHidden(db: Kysely<DB>, id: number, hidden: { at: string; by: number; reason: string } | null): Promise<void> {
  await db
    .updateTable('micro_posts')
    .set(hidden ? { hidden_at: hidden.at, hidden_by: hidden.by, hidden_reason: hidden.reason } : { hidden_at: null, hidden_by: null, hidden_reason: null })
    .where('id', '=', id)
    .execute()
}

/** Adds a like; false when the user had already liked the update. */
export async function insertLike(db: Kysely<DB>, microId: number, userId: number, now: string): Promise<boolean> {
  const r = await db.insertInto('micro_likes').values({ micro_id: microId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Removes a like; false when there was none. */
export async function deleteLike(db: Kysely<DB>, microId: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('micro_likes').where('micro_id', '=', microId).where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

/** The usernames among `names` that have an account. */
export async function findExistingUsernames(db: Kysely<DB>, names: string[]): Promise<{ id: number; username: string; is_active: number }[]> {
  if (!names.length) return []
  return db.selectFrom('users').select(['id', 'username', 'is_active']).where('username', 'in', names).execute()
}

// ── Tags (shared with posts): micro_tags links only visible updates; tags.micro_count counts them ──

export async function upsertTags(db: Kysely<DB>, names: string[]): Promise<number[]> {
  if (!names.length) return []
  await db.insertInto('tags').values(names.map((name) => ({ name }))).onConflict((oc) => oc.column('name').doNothing()).execute()
  const rows = await db.selectFrom('tags').select('id').where('name', 'in', names).execute()
  return rows.map((r) => r.id)
}

export async function linkMicroTags(db: Kysely<DB>, microId: number, tagIds: number[], createdAt: string): Promise<void> {
  if (!tagIds.length) return
  await db.insertInto('micro_tags').values(tagIds.map((tag_id) => ({ micro_id: microId, tag_id, created_at: createdAt })))
    .onConflict((oc) => oc.doNothing()).execute()
  await db.updateTable('tags').set((eb) => ({ micro_count: eb('micro_count', '+', 1) })).where('id', 'in', tagIds).execute()
}

export async function unlinkMicroTags(db: Kysely<DB>, microId: number): Promise<void> {
  const rows = await db.deleteFrom('micro_tags').where('micro_id', '=', microId).returning('tag_id').execute()
  const ids = rows.map((r) => r.tag_id)
  if (!ids.length) return
  await db.updateTable('tags').set((eb) => ({ micro_count: eb('micro_count', '-', 1) })).where('id', 'in', ids).execute()
}

export async function listMicroByIds(db: Kysely<DB>, ids: number[], viewerId: number | null = null): Promise<MicroRow[]> {
  if (!ids.length) return []
  return (await selectMicro(db, viewerId).where('m.id', 'in', ids).execute()) as MicroRow[]
}
