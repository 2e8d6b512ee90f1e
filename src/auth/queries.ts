import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export async function insertSession(
  db: Kysely<DB>,
  row: { id: string; userId: number; now: string; expiresAt: string; ip: string | null; userAgent: string | null },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: row.id, user_id: row.userId, created_at: row.now, last_seen_at: row.now,
      expires_at: row.expiresAt, ip: row.ip, user_agent: row.userAgent,
    })
    .execute()
}

/** The session and its user, or undefined; expiry is judged by the caller. */
// Made on every logged-in request: compiled once (src/db/compiled.ts).
const sessionWithUser = compiledOnce((db: Kysely<DB>, id: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at',
      'users.id', 'users.username', 'users.display_name', 'users.email', 'users.is_editor',
      'users.is_admin', 'users.is_active', 'users.language',
    ])
    .where('sessions.id', '=', id))

export async function findSessionWithUser(db: Kysely<DB>, id: string) {
  return (await sessionWithUser(db, id))[0]
}

export async function touchSession(db: Kysely<DB>, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', id).execute()
}

export async function deleteSession(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

export async function deleteUserSessions(db: Kysely<DB>, userId: number, exceptId?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptId) q = q.where('id', '!=', exceptId)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteExpiredSessions(db: Kysely<DB>, now: string, idleBefore: string): Promise<void> {
  await db.deleteFrom('sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)])).execute()
}

export async function countUserSessions(db: Kysely<DB>, userId: number): Promise<number> {
  const r = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function insertLoginFailure(db: Kysely<DB>, key: string, at: string): Promise<void> {
  await db.insertInto('login_failures').values({ key, at }).execute()
}

/** Failures per key since a time, oldest first (the oldest one decides when the lock lifts). */
export async function listLoginFailuresSince(db: Kysely<DB>, keys: string[], since: string) {
  return db
    .selectFrom('login_failures')
    .select(['key', 'at'])
    .where('key', 'in', keys)
    .where('at', '>', since)
    .orderBy('at')
    .execute()
}

export async function deleteLoginFailures(db: Kysely<DB>, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute()
}

export async function deleteOldLoginFailures(db: Kysely<DB>, before: string): Promise<void> {
  await db.deleteFrom('login_failures').where('at', '<', before).execute()
}

// ── Password resets (src/auth/reset.ts) ──────────────────────────────────────────────────────────

export async function insertPasswordReset(db: Kysely<DB>, row: { userId: number; tokenHash: string; now: string; expiresAt: string }): Promise<number> {
  const r = await db.insertInto('password_resets')
    .values({ user_id: row.userId, token_hash: row.tokenHash, created_at: row.now, expires_at: row.expiresAt })
    .returning('id').executeTakeFirstOrThrow()
  return r.id
}

export function findResetByHash(db: Kysely<DB>, tokenHash: string) {
  return db.selectFrom('password_resets as r').innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.user_id', 'r.expires_at', 'r.used_at', 'u.username', 'u.is_active', 'u.password_hash'])
    .where('r.token_hash', '=', tokenHash).executeTakeFirst()
}

/** Uses up every open reset link of the user; false when `mustInclude` was already used. */
export async function expireUserResets(db: Kysely<DB>, userId: number, now: string, mustInclude: number): Promise<boolean> {
  const own = await db.updateTable('password_resets').set({ used_at: now })
    .where('id', '=', mustInclude).where('used_at', 'is', null).executeTakeFirst()
  if (Number(own.numUpdatedRows) === 0) return false
  await db.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute()
  return true
}
