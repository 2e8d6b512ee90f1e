// Login throttling by account name and by client address, in the database so every instance sees
// the same counts. A sliding window: once failures stop, the oldest ones age out and the real person
// can log in again within LOGIN_WINDOW_MINUTES.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { deleteLoginFailures, insertLoginFailure, listLoginFailuresSince } from './queries.js'

// An office behind one NAT address has many honest users: allow the address more tries.
const IP_FACTOR = 4

export function throttleKeys(identifier: string, ip: string): { account: string; ip: string } {
  return { account: `account:${identifier.trim().toLowerCase()}`, ip: `ip:${ip}` }
}

export interface ThrottleStatus { blocked: boolean; retryAfterMinutes: number }

export async function checkThrottle(db: Kysely<DB>, config: Config, keys: { account: string; ip: string }, now = new Date()): Promise<ThrottleStatus> {
  const windowMs = config.loginWindowMinutes * 60_000
  const since = new Date(now.getTime() - windowMs).toISOString()
  const rows = await listLoginFailuresSince(db, [keys.account, keys.ip], since)
  const limits: [string, number][] = [[keys.account, config.loginMaxFailures], [keys.ip, config.loginMaxFailures * IP_FACTOR]]
  let retryAt = 0
  for (const [key, limit] of limits) {
    const times = rows.filter((r) => r.key === key).map((r) => Date.parse(r.at))
    if (times.length >= limit) {
      // Unblocked when enough of the oldest failures have left the window.
      const releasing = times[times.length - limit]!
      retryAt = Math.max(retryAt, releasing + windowMs)
    }
  }
  if (!retryAt) return { blocked: false, retryAfterMinutes: 0 }
  return { blocked: true, retryAfterMinutes: Math.max(1, Math.ceil((retryAt - now.getTime()) / 60_000)) }
}

export async function recordFailure(db: Kysely<DB>, keys: { account: string; ip: string }, now = new Date()): Promise<void> {
  const at = now.toISOString()
  await insertLoginFailure(db, keys.account, at)
  await insertLoginFailure(db, keys.ip, at)
}

export async function clearAccountFailures(db: Kysely<DB>, keys: { account: string }): Promise<void> {
  await deleteLoginFailures(db, keys.account)
}
