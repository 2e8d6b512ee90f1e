// Login throttling by account and by client address, in the database so every instance sees the same
// counts. A sliding window: once failures stop, the oldest ones age out and the real person can log in
// again within LOGIN_WINDOW_MINUTES.
//
// An attempt is reserved (counted as a failure) in one transaction with the check, BEFORE the password
// is verified: simultaneous guesses cannot all pass the check while argon2 runs. A correct password
// hands its reservation back.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { serialize } from '../db/dialect.js'
import { deleteLoginFailures, deleteLoginFailuresById, insertLoginFailure, listLoginFailuresSince } from './queries.js'

// An office behind one NAT address has many honest users: allow the address more tries.
const IP_FACTOR = 4

export interface ThrottleKeys { account: string; ip: string }

/**
 * An existing account has one bucket whatever name it is addressed by (username or e-mail); an
 * unknown name gets a bucket of its own, so probing names is throttled too.
 */
export function throttleKeys(identifier: string, ip: string, userId?: number): ThrottleKeys {
  const account = userId !== undefined ? `user:${userId}` : `account:${identifier.trim().toLowerCase()}`
  return { account, ip: `ip:${ip}` }
}

export type Reservation =
  | { blocked: false; ids: number[] }
  | { blocked: true; retryAfterMinutes: number }

export async function reserveAttempt(db: Kysely<DB>, config: Config, keys: ThrottleKeys, now = new Date()): Promise<Reservation> {
  const windowMs = config.loginWindowMinutes * 60_000
  const since = new Date(now.getTime() - windowMs).toISOString()
  return db.transaction().execute(async (trx) => {
    for (const key of [keys.account, keys.ip].sort()) await serialize(trx, `login_failures:${key}`)
    const rows = await listLoginFailuresSince(trx, [keys.account, keys.ip], since)
    const limits: [string, number][] = [[keys.account, config.loginMaxFailures], [keys.ip, config.loginMaxFailures * IP_FACTOR]]
    let retryAt = 0
    for (const [key, limit] of limits) {
      const times = rows.filter((r) => r.key === key).map((r) => Date.parse(r.at))
      // Unblocked when enough of the oldest failures have left the window.
      if (times.length >= limit) retryAt = Math.max(retryAt, times[times.length - limit]! + windowMs)
    }
    if (retryAt) {
      return { blocked: true as const, retryAfterMinutes: Math.max(1, Math.ceil((retryAt - now.getTime()) / 60_000)) }
    }
    const at = now.toISOString()
    return { blocked: false as const, ids: [await insertLoginFailure(trx, keys.account, at), await insertLoginFailure(trx, keys.ip, at)] }
  })
}

/** The password was right: the reservation was no failure. */
export async function releaseAttempt(db: Kysely<DB>, ids: number[]): Promise<void> {
  await deleteLoginFailuresById(db, ids)
}

export async function clearAccountFailures(db: Kysely<DB>, keys: { account: string }): Promise<void> {
  await deleteLoginFailures(db, keys.account)
}
