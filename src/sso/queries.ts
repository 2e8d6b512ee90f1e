import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export function findIdentity(db: Kysely<DB>, issuer: string, subject: string) {
  return db.selectFrom('sso_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst()
}

export function findIdentityOfUser(db: Kysely<DB>, userId: number, issuer: string) {
  return db.selectFrom('sso_identities').selectAll().where('user_id', '=', userId).where('issuer', '=', issuer).executeTakeFirst()
}

export async function insertIdentity(db: Kysely<DB>, row: { userId: number; issuer: string; subject: string; now: string }): Promise<void> {
  await db.insertInto('sso_identities')
    .values({ user_id: row.userId, issuer: row.issuer, subject: row.subject, created_at: row.now, last_login_at: row.now })
    .execute()
}

export async function touchIdentity(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('sso_identities').set({ last_login_at: now }).where('id', '=', id).execute()
}

export async function insertPending(db: Kysely<DB>, row: { id: string; state: string; nonce: string; codeVerifier: string; next: string; now: string }): Promise<void> {
  await db.insertInto('sso_pending')
    .values({ id: row.id, state: row.state, nonce: row.nonce, code_verifier: row.codeVerifier, next_path: row.next, created_at: row.now })
    .execute()
}

/** Takes a pending login out (single use): returns it, or undefined when unknown or already used. */
export async function takePending(db: Kysely<DB>, id: string) {
  return db.deleteFrom('sso_pending').where('id', '=', id).returningAll().executeTakeFirst()
}

export async function deletePendingBefore(db: Kysely<DB>, before: string): Promise<void> {
  await db.deleteFrom('sso_pending').where('created_at', '<', before).execute()
}

export async function insertSsoSession(db: Kysely<DB>, row: { sessionId: string; userId: number; issuer: string; subject: string; sid: string | null }): Promise<void> {
  await db.insertInto('sso_sessions')
    .values({ session_id: row.sessionId, user_id: row.userId, issuer: row.issuer, subject: row.subject, sid: row.sid })
    .execute()
}

export function findSsoSession(db: Kysely<DB>, sessionId: string) {
  return db.selectFrom('sso_sessions').selectAll().where('session_id', '=', sessionId).executeTakeFirst()
}

/** Ends the local sessions behind a provider session (sid), or every session of the person (sub). */
export async function deleteSessionsOfProvider(db: Kysely<DB>, issuer: string, by: { sid?: string; sub?: string }): Promise<number> {
  const r = by.sid
    ? await db.deleteFrom('sessions')
      .where('id', 'in', db.selectFrom('sso_sessions').select('session_id').where('issuer', '=', issuer).where('sid', '=', by.sid))
      .executeTakeFirst()
    : await db.deleteFrom('sessions')
      .where('user_id', 'in', db.selectFrom('sso_identities').select('user_id').where('issuer', '=', issuer).where('subject', '=', by.sub!))
      .executeTakeFirst()
  return Number(r.numDeletedRows)
}
