// In-app notifications. Other features call notify/notifyEditors inside the transaction that made the
// change, so a notification exists exactly when its event does. Nobody is told about their own act;
// deactivated accounts and kinds a person turned off are skipped. Grouped kinds (likes on one update,
// reminders of one post, reports of one item) update the unread notification instead of adding more.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { ConflictError } from '../errors.js'
import { enqueue } from '../outbox/service.js'
import { channelEnabled } from '../outbox/registry.js'
import { deliveryOf } from './delivery.js'
import {
  bumpNotification, deleteNotification, findUnreadGroup, findUserState, insertNotification, isOptedOut, listActiveEditorIds,
  listOptouts, markAllRead, markRead, replaceOptouts,
} from './queries.js'

export type NotificationKind =
  | 'mention' | 'micro.reply' | 'comment.reply' | 'post.comment' | 'micro.like'
  | 'editorial.decision' | 'editorial.submitted' | 'editorial.reminder' | 'moderation.hidden'
  | 'moderation.restored' | 'moderation.reported' | 'follow'

export interface NewNotification {
  kind: NotificationKind
  actorId: number | null
  subjectType: 'post' | 'comment' | 'micro' | 'user'
  subjectId: number
  /**
   * Small data for the message, e.g. { title, decision }. Known fields: title (post title),
   * snippet (text of an update or comment), slug (post), decision ('published' | 'scheduled' |
   * 'approved' | 'changes_requested' | 'rejected'), reason, days, href (a site path to link to).
   */
  data?: Record<string, string | number>
}

/** Kinds everyone gets, in the order the settings page lists them. */
export const USER_KINDS: readonly NotificationKind[] = ['mention', 'micro.reply', 'micro.like', 'comment.reply', 'post.comment', 'editorial.decision', 'follow']
/** Kinds only editors get. */
export const EDITOR_KINDS: readonly NotificationKind[] = ['editorial.submitted', 'moderation.reported', 'editorial.reminder']
/**
 * Kinds that cannot be turned off: decisions about one's own content, and queue reminders (the queue
 * must never go silent).
 */
export const MANDATORY_KINDS: readonly NotificationKind[] = ['moderation.hidden', 'moderation.restored', 'editorial.reminder']

const GROUPED: ReadonlySet<NotificationKind> = new Set(['micro.like', 'editorial.reminder', 'moderation.reported', 'follow'])
const MAX_ACTORS_KEPT = 50

export function groupKeyOf(n: NewNotification): string | null {
  return GROUPED.has(n.kind) ? `${n.kind}:${n.subjectType}:${n.subjectId}` : null
}

/** Tells one user about something. Call inside the transaction that made the change. */
export async function notify(db: Kysely<DB>, userId: number, n: NewNotification, now = new Date()): Promise<void> {
  if (n.actorId !== null && n.actorId === userId) return
  const user = await findUserState(db, userId)
  if (!user || !user.is_active) return
  if (!MANDATORY_KINDS.includes(n.kind) && (await isOptedOut(db, userId, n.kind))) return
  const iso = now.toISOString()
  const data = JSON.stringify(n.data ?? {})
  const groupKey = groupKeyOf(n)
  const group = groupKey ? await findUnreadGroup(db, userId, groupKey) : undefined
  if (group) {
    const before = parseIds(group.actor_ids)
    const isNew = n.actorId !== null && !before.includes(n.actorId)
    const actors = n.actorId === null ? before : [n.actorId, ...before.filter((id) => id !== n.actorId)].slice(0, MAX_ACTORS_KEPT)
    await bumpNotification(db, group.id, {
      actorId: n.actorId, actorIds: JSON.stringify(actors), actorCount: group.actor_count + (isNew ? 1 : 0), data, now: iso,
    })
    return
  }
  const id = await insertNotification(db, {
    userId, kind: n.kind, actorId: n.actorId, actorIds: JSON.stringify(n.actorId === null ? [] : [n.actorId]),
    subjectType: n.subjectType, subjectId: n.subjectId, data, groupKey, now: iso,
  })
  // E-mail at once, when the person wants it: queued in this same transaction (src/outbox).
  if (channelEnabled(db, 'email') && (await deliveryOf(db, userId, n.kind)) === 'email') {
    await enqueue(db, { channel: 'email', kind: 'notification', key: `notification:${id}`, recipient: `user:${userId}`, payload: { notificationId: id } }, now)
  }
}

/**
 * Takes an actor's part back out of an unread grouped notification (a like taken back): the notice
 * goes when nobody is left in it. One already read stays, as what the person saw.
 */
export async function withdrawFromNotification(db: Kysely<DB>, userId: number, n: NewNotification): Promise<void> {
  const groupKey = groupKeyOf(n)
  if (!groupKey || n.actorId === null) return
  const group = await findUnreadGroup(db, userId, groupKey)
  const before = group ? parseIds(group.actor_ids) : []
  if (!group || !before.includes(n.actorId)) return
  if (group.actor_count <= 1) return deleteNotification(db, group.id)
  const actors = before.filter((id) => id !== n.actorId)
  await bumpNotification(db, group.id, {
    actorId: actors[0] ?? null, actorIds: JSON.stringify(actors), actorCount: group.actor_count - 1,
    data: JSON.stringify(n.data ?? {}), now: group.updated_at, // its place in the list stays
  })
}

/** Tells every active editor (except `exceptUserId`, e.g. the one who acted). */
export async function notifyEditors(db: Kysely<DB>, n: NewNotification, exceptUserId?: number, now = new Date()): Promise<void> {
  for (const id of await listActiveEditorIds(db)) {
    if (id !== exceptUserId) await notify(db, id, n, now)
  }
}

function parseIds(json: string): number[] {
  try {
    const v: unknown = JSON.parse(json)
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []
  } catch {
    return []
  }
}

export async function markNotificationRead(db: Kysely<DB>, userId: number, id: number, now = new Date()): Promise<void> {
  await markRead(db, userId, id, now.toISOString())
}

export async function markAllNotificationsRead(db: Kysely<DB>, userId: number, now = new Date()): Promise<number> {
  return markAllRead(db, userId, now.toISOString())
}

/** The kinds a person may choose between, and which of them are on. */
export async function notificationPreferences(db: Kysely<DB>, user: { id: number; isEditor: boolean }) {
  const off = new Set(await listOptouts(db, user.id))
  const kinds = [...USER_KINDS, ...(user.isEditor ? EDITOR_KINDS : [])]
  return kinds.map((kind) => ({ kind, enabled: MANDATORY_KINDS.includes(kind) || !off.has(kind), mandatory: MANDATORY_KINDS.includes(kind) }))
}

/** Saves the kinds a person wants; everything offered and not chosen is turned off. */
export async function saveNotificationPreferences(db: Kysely<DB>, user: { id: number; isEditor: boolean }, enabled: string[]) {
  const offered = [...USER_KINDS, ...(user.isEditor ? EDITOR_KINDS : [])]
  const unknown = enabled.filter((k) => !offered.includes(k as NotificationKind))
  if (unknown.length) throw new ConflictError('unknown notification kind')
  const off = offered.filter((k) => !MANDATORY_KINDS.includes(k) && !enabled.includes(k))
  await db.transaction().execute((trx) => replaceOptouts(trx, user.id, off))
}
