// Personal feed keys. The key is HMAC(server secret, user id + nonce): the database holds only the
// nonce and the key's SHA-256, so a copy of the database does not hand out feed access, yet the
// settings page can show the key again. Renewing draws a new nonce: every old feed URL stops working.
import { createHmac, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { hashToken } from '../auth/tokens.js'
import { findActiveUserByFeedKeyHash, findFeedKey, upsertFeedKey } from './queries.js'

export interface FeedKeyUser { id: number; username: string; isEditor: boolean }

export function deriveFeedKey(secret: string, userId: number, nonce: string): string {
  return createHmac('sha256', secret).update(`betablogg-feed-key:${userId}:${nonce}`).digest('base64url')
}

/** The person's current key; made on first use. */
export async function feedKeyFor(db: Kysely<DB>, secret: string, userId: number, now = new Date()): Promise<string> {
  const row = await findFeedKey(db, userId)
  const nonce = row?.nonce ?? randomBytes(16).toString('base64url')
  const key = deriveFeedKey(secret, userId, nonce)
  // New, or the server secret changed since: store the hash of the key as it is now.
  if (row?.key_hash !== hashToken(key)) await upsertFeedKey(db, { userId, nonce, keyHash: hashToken(key), now: now.toISOString() })
  return key
}

/** Replaces the key; returns the new one. */
export async function renewFeedKey(db: Kysely<DB>, secret: string, userId: number, now = new Date()): Promise<string> {
  const nonce = randomBytes(16).toString('base64url')
  const key = deriveFeedKey(secret, userId, nonce)
  await upsertFeedKey(db, { userId, nonce, keyHash: hashToken(key), now: now.toISOString() })
  return key
}

/** Who a key from a feed URL belongs to: an active account, or undefined (unknown, renewed, deactivated). */
export async function findFeedKeyUser(db: Kysely<DB>, key: string): Promise<FeedKeyUser | undefined> {
  if (!key || key.length > 100) return undefined
  const row = await findActiveUserByFeedKeyHash(db, hashToken(key))
  return row ? { id: row.id, username: row.username, isEditor: row.is_editor === 1 } : undefined
}
