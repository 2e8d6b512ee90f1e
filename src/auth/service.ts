import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { findUserByLogin } from '../users/queries.js'
import { verifyPassword } from './password.js'
import { startSession, type SessionMeta } from './sessions.js'
import { clearAccountFailures, releaseAttempt, reserveAttempt, throttleKeys } from './throttle.js'

export type LoginResult =
  | { ok: true; token: string; userId: number; language: string | null }
  | { ok: false; reason: 'invalid' | 'deactivated' }
  | { ok: false; reason: 'throttled'; retryAfterMinutes: number }

export async function logIn(
  db: Kysely<DB>,
  config: Config,
  input: { identifier: string; password: string },
  meta: SessionMeta & { ip: string },
  now = new Date(),
): Promise<LoginResult> {
  const user = await findUserByLogin(db, input.identifier)
  const keys = throttleKeys(input.identifier, meta.ip, user?.id)
  // Counted before argon2 runs (see throttle.ts); a wrong password simply keeps the reservation.
  const reservation = await reserveAttempt(db, config, keys, now)
  if (reservation.blocked) return { ok: false, reason: 'throttled', retryAfterMinutes: reservation.retryAfterMinutes }

  const valid = await verifyPassword(user?.password_hash, input.password)
  if (!user || !valid) return { ok: false, reason: 'invalid' }
  await releaseAttempt(db, reservation.ids)
  // Only someone who knows the password learns that the account is deactivated.
  if (!user.is_active) return { ok: false, reason: 'deactivated' }
  await clearAccountFailures(db, keys)
  const token = await startSession(db, config, user.id, meta, now)
  return { ok: true, token, userId: user.id, language: user.language }
}
