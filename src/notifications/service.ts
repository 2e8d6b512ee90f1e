// In-app notifications. (Interface fixed for other features; the notifications feature fills it in.)
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export type NotificationKind =
  | 'mention' | 'micro.reply' | 'comment.reply' | 'post.comment' | 'micro.like'
  | 'editorial.decision' | 'editorial.submitted' | 'editorial.reminder' | 'moderation.hidden'

export interface NewNotification {
  kind: NotificationKind
  actorId: number | null
  subjectType: 'post' | 'comment' | 'micro'
  subjectId: number
  /** Small data for the message, e.g. { title, decision }. */
  data?: Record<string, string | number>
}

/** Tells one user about something. Call inside the transaction that made the change. */
export async function notify(db: Kysely<DB>, userId: number, n: NewNotification): Promise<void> {
  void db; void userId; void n
}

/** Tells every active editor (except `exceptUserId`, e.g. the one who acted). */
export async function notifyEditors(db: Kysely<DB>, n: NewNotification, exceptUserId?: number): Promise<void> {
  void db; void n; void exceptUserId
}
