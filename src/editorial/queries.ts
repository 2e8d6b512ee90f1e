// The editorial queue and the schedule. A post is in the queue while posts.queued_at is set: a new or
// resubmitted post (status 'submitted') or a change to a published post (edit_status 'submitted').
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Cursor } from '../posts/cursor.js'

/** Oldest first; with the content under review (the pending change's, for an edit). `limit + 1` rows. */
export function listQueue(db: Kysely<DB>, after: Cursor | undefined, limit: number) {
  let q = db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .leftJoin('post_revisions as pending', 'pending.id', 'posts.edit_revision_id')
    .select([
      'posts.id', 'posts.slug', 'posts.status', 'posts.edit_status', 'posts.queued_at', 'posts.published_at', 'posts.author_id',
      'users.display_name as author_name', 'users.username as author_username',
      'posts.title', 'posts.body_html', 'posts.body_md',
      'pending.title as pending_title', 'pending.body_html as pending_body_html', 'pending.body_md as pending_body_md',
    ])
    .where('posts.queued_at', 'is not', null)
    .orderBy('posts.queued_at')
    .orderBy('posts.id')
    .limit(limit + 1)
  if (after) q = q.where((eb) => eb(eb.refTuple('posts.queued_at', 'posts.id'), '>', eb.tuple(after.at, after.id)))
  return q.execute()
}

export type QueueRow = Awaited<ReturnType<typeof listQueue>>[number]

/** Posts waiting in the queue since before `beforeIso` (for reminders), oldest first. */
export function listQueuedBefore(db: Kysely<DB>, beforeIso: string, limit: number) {
  return db
    .selectFrom('posts')
    .select(['id', 'title', 'author_id', 'queued_at'])
    .where('queued_at', 'is not', null)
    .where('queued_at', '<', beforeIso)
    .orderBy('queued_at')
    .limit(limit)
    .execute()
}

export function listScheduled(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select(['posts.id', 'posts.slug', 'posts.title', 'posts.scheduled_at', 'users.display_name as author_name'])
    .where('posts.status', '=', 'scheduled')
    .orderBy('posts.scheduled_at', (o) => o.asc().nullsLast())
    .limit(limit)
    .execute()
}

/** Scheduled posts whose time has come. */
export async function listDuePostIds(db: Kysely<DB>, nowIso: string, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('posts')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('scheduled_at', '<=', nowIso)
    .orderBy('scheduled_at')
    .limit(limit)
    .execute()
  return rows.map((r) => r.id)
}

/** The editorial events of a post, oldest first (the audit trail is kept even after deletion). */
export function listPostEvents(db: Kysely<DB>, postId: number, limit: number) {
  return db
    .selectFrom('audit_events')
    .select(['id', 'at', 'actor_name', 'actor_id', 'action', 'from_state', 'to_state', 'note', 'content_hash'])
    .where('subject_type', '=', 'post')
    .where('subject_id', '=', postId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute()
}

/** The newest review decision on a post (sent back, refused, or let through), with the content decided on. */
export function findLastDecision(db: Kysely<DB>, postId: number) {
  return db
    .selectFrom('audit_events')
    .select(['at', 'action', 'content_hash'])
    .where('subject_type', '=', 'post')
    .where('subject_id', '=', postId)
    .where('action', 'in', ['post.request-changes', 'post.reject', 'post.publish', 'post.schedule', 'post.approve'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}
