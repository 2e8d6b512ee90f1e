// SQL of notifications. The unread count and the unread-group lookup use the partial index
// notifications_unread_idx (user_id, group_key) WHERE read_at IS NULL.
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce, compiledPages, type KeysetCursor } from '../db/compiled.js'

export async function isOptedOut(db: Kysely<DB>, userId: number, kind: string): Promise<boolean> {
  const r = await db.selectFrom('notification_optouts').select('kind').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst()
  return r !== undefined
}

export async function listOptouts(db: Kysely<DB>, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('notification_optouts').select('kind').where('user_id', '=', userId).execute()
  return rows.map((r) => r.kind)
}

export async function replaceOptouts(db: Kysely<DB>, userId: number, kinds: string[]): Promise<void> {
  await db.deleteFrom('notification_optouts').where('user_id', '=', userId).execute()
  if (kinds.length) await db.insertInto('notification_optouts').values(kinds.map((kind) => ({ user_id: userId, kind }))).execute()
}

export function findUserState(db: Kysely<DB>, userId: number) {
  return db.selectFrom('users').select(['id', 'is_active', 'is_editor']).where('id', '=', userId).executeTakeFirst()
}

export async function listActiveEditorIds(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('users').select('id').where('is_editor', '=', 1).where('is_active', '=', 1).execute()
  return rows.map((r) => r.id)
}

export function findUnreadGroup(db: Kysely<DB>, userId: number, groupKey: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'actor_ids', 'actor_count', 'updated_at'])
    .where('user_id', '=', userId)
    .where('group_key', '=', groupKey)
    .where('read_at', 'is', null)
    .executeTakeFirst()
}

export interface NotificationInsert {
  userId: number
  kind: string
  actorId: number | null
  actorIds: string
  subjectType: string
  subjectId: number
  data: string
  groupKey: string | null
  now: string
}

/** Returns the new notification's id. */
export async function insertNotification(db: Kysely<DB>, n: NotificationInsert): Promise<number> {
  const r = await db
    .insertInto('notifications')
    .values({
      user_id: n.userId, kind: n.kind, actor_id: n.actorId, actor_ids: n.actorIds, actor_count: 1,
      subject_type: n.subjectType, subject_id: n.subjectId, data: n.data, group_key: n.groupKey, created_at: n.now, updated_at: n.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function bumpNotification(
  db: Kysely<DB>, id: number, patch: { actorId: number | null; actorIds: string; actorCount: number; data: string; now: string },
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ actor_id: patch.actorId, actor_ids: patch.actorIds, actor_count: patch.actorCount, data: patch.data, updated_at: patch.now })
    .where('id', '=', id)
    .execute()
}

/** The people told of `kind` about one subject (read or not). */
export async function listNotifiedUserIds(db: Kysely<DB>, kind: string, subjectType: string, subjectId: number): Promise<number[]> {
  const rows = await db.selectFrom('notifications').select('user_id')
    .where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).where('kind', '=', kind)
    .execute()
  return rows.map((r) => r.user_id)
}

export async function deleteNotification(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('notifications').where('id', '=', id).execute()
}

/** Unread notifications, counted up to `cap` (the badge shows "99+" beyond): bounded work per request. */
// Made on every logged-in page (the header's badge): compiled once (src/db/compiled.ts).
const unreadCount = compiledOnce((db: Kysely<DB>, userId: number, cap: number) =>
  db
    .selectFrom(
      db.selectFrom('notifications').select(sql<number>`1`.as('one')).where('user_id', '=', userId).where('read_at', 'is', null).limit(cap).as('x'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n')))

export async function countUnread(db: Kysely<DB>, userId: number, cap: number): Promise<number> {
  const [r] = await unreadCount(db, userId, cap)
  return Number(r?.n ?? 0)
}

const notificationPages = compiledPages((db: Kysely<DB>, before: KeysetCursor | undefined, userId: number, take: number) => {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('users as a', 'a.id', 'n.actor_id')
    .select([
      'n.id', 'n.kind', 'n.actor_id', 'n.actor_count', 'n.subject_type', 'n.subject_id', 'n.data', 'n.created_at', 'n.updated_at',
      'n.read_at', 'a.display_name as actor_name', 'a.username as actor_username', 'a.avatar_path as actor_avatar',
    ])
    .where('n.user_id', '=', userId)
    .orderBy('n.updated_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(take)
  if (before) q = q.where(({ eb, refTuple, tuple }) => eb(refTuple('n.updated_at', 'n.id'), '<', tuple(before.at, before.id)))
  return q
})

/** A person's notifications, newest (most recently bumped) first; keyset over (updated_at, id); one more than `limit`. */
export function listNotifications(db: Kysely<DB>, userId: number, limit: number, before?: KeysetCursor) {
  return notificationPages(db, before, userId, limit + 1)
}

export function findNotificationCursor(db: Kysely<DB>, userId: number, id: number) {
  return db.selectFrom('notifications').select(['id', 'updated_at']).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()
}

/** Marks one of the user's notifications as read; false when it is not theirs or already read. */
export async function markRead(db: Kysely<DB>, userId: number, id: number, now: string): Promise<boolean> {
  const r = await db.updateTable('notifications').set({ read_at: now })
    .where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function markAllRead(db: Kysely<DB>, userId: number, now: string): Promise<number> {
  const r = await db.updateTable('notifications').set({ read_at: now })
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

// ── Queue reminders ──────────────────────────────────────────────────────────────────────────────

/**
 * Posts in the editorial queue since before `queuedBefore` (posts_queued_idx) not yet reminded on
 * `day`. queued_at covers both new submissions and changes to published posts awaiting review.
 */
export function listWaitingPosts(db: Kysely<DB>, queuedBefore: string, day: string, limit: number) {
  return db
    .selectFrom('posts')
    .leftJoin('queue_reminders as r', 'r.post_id', 'posts.id')
    .select(['posts.id', 'posts.title', 'posts.slug', 'posts.author_id', 'posts.queued_at', 'r.last_sent_on'])
    .where('posts.queued_at', 'is not', null)
    .where('posts.queued_at', '<', queuedBefore)
    .where((eb) => eb.or([eb('r.last_sent_on', 'is', null), eb('r.last_sent_on', '!=', day)]))
    .orderBy('posts.queued_at')
    .limit(limit)
    .execute()
}

export async function recordReminder(db: Kysely<DB>, postId: number, day: string): Promise<void> {
  await db.insertInto('queue_reminders').values({ post_id: postId, last_sent_on: day })
    .onConflict((oc) => oc.column('post_id').doUpdateSet({ last_sent_on: day })).execute()
}

// ── E-mail delivery (src/mail) ───────────────────────────────────────────────────────────────────

/** A person's chosen deliveries by kind ('weekly' included); kinds not listed have the default. */
export async function listMailPreferences(db: Kysely<DB>, userId: number): Promise<Map<string, string>> {
  const rows = await db.selectFrom('mail_preferences').select(['kind', 'mode']).where('user_id', '=', userId).execute()
  return new Map(rows.map((r) => [r.kind, r.mode]))
}

export async function findMailPreference(db: Kysely<DB>, userId: number, kind: string): Promise<string | undefined> {
  const r = await db.selectFrom('mail_preferences').select('mode').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst()
  return r?.mode
}

export async function upsertMailPreferences(db: Kysely<DB>, userId: number, modes: [string, string][]): Promise<void> {
  for (const [kind, mode] of modes) {
    await db.insertInto('mail_preferences').values({ user_id: userId, kind, mode })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ mode })).execute()
  }
}
