// SQL the e-mail sender and the digest jobs need: recipients, what to tell them, digest windows.
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.js'

export function findRecipient(db: Kysely<DB>, userId: number) {
  return db.selectFrom('users').select(['id', 'username', 'display_name', 'email', 'language', 'is_active', 'is_admin', 'password_hash'])
    .where('id', '=', userId).executeTakeFirst()
}

const NOTIFICATION_FIELDS = [
  'n.id', 'n.user_id', 'n.kind', 'n.actor_count', 'n.subject_type', 'n.subject_id', 'n.data', 'n.created_at', 'n.read_at',
  'a.display_name as actor_name',
] as const

export function findNotification(db: Kysely<DB>, id: number) {
  return db.selectFrom('notifications as n').leftJoin('users as a', 'a.id', 'n.actor_id')
    .select([...NOTIFICATION_FIELDS]).where('n.id', '=', id).executeTakeFirst()
}

/** Unread notifications of one person made in (since, until], oldest first. */
export function listUnreadBetween(db: Kysely<DB>, userId: number, since: string, until: string, limit: number) {
  return db.selectFrom('notifications as n').leftJoin('users as a', 'a.id', 'n.actor_id')
    .select([...NOTIFICATION_FIELDS])
    .where('n.user_id', '=', userId).where('n.read_at', 'is', null)
    .where('n.created_at', '>', since).where('n.created_at', '<=', until)
    .orderBy('n.created_at').limit(limit).execute()
}

export async function findCommentPostId(db: Kysely<DB>, commentId: number): Promise<number | undefined> {
  const r = await db.selectFrom('comments').select('post_id').where('id', '=', commentId).executeTakeFirst()
  return r?.post_id
}

/** Posts published in (since, until], newest first. */
export function listPublishedBetween(db: Kysely<DB>, since: string, until: string, limit: number) {
  return db.selectFrom('posts').innerJoin('users', 'users.id', 'posts.author_id')
    .select(['posts.id', 'posts.slug', 'posts.title', 'posts.lead', 'posts.published_at', 'users.display_name as author'])
    .where('posts.status', '=', 'published')
    .where('posts.published_at', '>', since).where('posts.published_at', '<=', until)
    .orderBy('posts.published_at', 'desc').limit(limit).execute()
}

/** Active people with an address and something unread since their last daily digest. */
export function listDailyDigestCandidates(db: Kysely<DB>, defaultSince: string) {
  return db.selectFrom('users')
    .leftJoin('mail_digests as d', (j) => j.onRef('d.user_id', '=', 'users.id').on('d.kind', '=', 'daily'))
    .select(['users.id', 'd.last_until'])
    .where('users.is_active', '=', 1).where('users.email', 'is not', null)
    .where(({ exists, selectFrom, ref, fn }) => exists(
      selectFrom('notifications as n').select('n.id')
        .whereRef('n.user_id', '=', 'users.id').where('n.read_at', 'is', null)
        .whereRef('n.created_at', '>', fn.coalesce(ref('d.last_until'), sql<string>`${defaultSince}`)),
    ))
    .execute()
}


/** Active people with an address who have not turned the weekly e-mail off. */
export function listWeeklyDigestCandidates(db: Kysely<DB>) {
  return db.selectFrom('users')
    .leftJoin('mail_digests as d', (j) => j.onRef('d.user_id', '=', 'users.id').on('d.kind', '=', 'weekly'))
    .select(['users.id', 'd.last_until'])
    .where('users.is_active', '=', 1).where('users.email', 'is not', null)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('mail_preferences as p').select('p.user_id')
        .whereRef('p.user_id', '=', 'users.id').where('p.kind', '=', 'weekly').where('p.mode', '=', 'off'),
    )))
    .execute()
}

export async function upsertDigestMark(db: Kysely<DB>, userId: number, kind: 'daily' | 'weekly', until: string): Promise<void> {
  await db.insertInto('mail_digests').values({ user_id: userId, kind, last_until: until })
    .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ last_until: until })).execute()
}

export function findInvitationById(db: Kysely<DB>, id: number) {
  return db.selectFrom('invitations').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The e-mailed copy of an invitation, under its own token; once per token however often sent. */
export async function insertInvitationCopy(
  db: Kysely<DB>, row: { tokenHash: string; userId: number; createdBy: number | null; now: string; expiresAt: string },
): Promise<void> {
  await db.insertInto('invitations')
    .values({ token_hash: row.tokenHash, user_id: row.userId, created_by: row.createdBy, created_at: row.now, expires_at: row.expiresAt })
    .onConflict((oc) => oc.column('token_hash').doNothing()).execute()
}

export function findPasswordResetById(db: Kysely<DB>, id: number) {
  return db.selectFrom('password_resets').selectAll().where('id', '=', id).executeTakeFirst()
}
