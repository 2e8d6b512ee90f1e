// "Glemt passord" for accounts with a local password. Asking always gets the same answer, whether
// the address is known or not; a link is e-mailed (through the outbox) only to an active account
// with a password. Links expire after RESET_MINUTES, work once and are stored as hashes; using one
// ends every session of the account. Requests are throttled per address and per client address.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { InvalidError, type FieldErrors } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { enqueue } from '../outbox/service.js'
import { findUserByEmail, expireUserInvitations, updateUser } from '../users/queries.js'
import { normaliseText, validateNewPassword } from '../users/validate.js'
import { hashPassword } from './password.js'
import { derivedToken, hashToken } from './tokens.js'
import { throttleKeys } from './throttle.js'
import {
  deleteLoginFailures, deleteUserSessions, expireUserResets, findResetByHash, insertLoginFailure, insertPasswordReset, listLoginFailuresSince,
} from './queries.js'

export const RESET_MINUTES = 60
const WINDOW_MS = 60 * 60_000
/** Links per address per hour (more are silently not sent) and requests per client per hour. */
const PER_ADDRESS = 3
const PER_CLIENT = 20

export type ResetRequestResult = { ok: true } | { ok: false; retryAfterMinutes: number }

export async function requestPasswordReset(db: Kysely<DB>, config: Config, rawEmail: string, ip: string, now = new Date()): Promise<ResetRequestResult> {
  const email = normaliseText(rawEmail).toLowerCase().slice(0, 254)
  const keys = { client: `reset-ip:${ip}`, address: `reset-address:${email}` }
  const since = new Date(now.getTime() - WINDOW_MS).toISOString()
  const recent = await listLoginFailuresSince(db, [keys.client, keys.address], since)
  const byClient = recent.filter((r) => r.key === keys.client)
  if (byClient.length >= PER_CLIENT) {
    const frees = Date.parse(byClient[byClient.length - PER_CLIENT]!.at) + WINDOW_MS
    return { ok: false, retryAfterMinutes: Math.max(1, Math.ceil((frees - now.getTime()) / 60_000)) }
  }
  const iso = now.toISOString()
  await insertLoginFailure(db, keys.client, iso)
  await insertLoginFailure(db, keys.address, iso)
  if (recent.filter((r) => r.key === keys.address).length >= PER_ADDRESS) return { ok: true } // the same answer
  const user = email ? await findUserByEmail(db, email) : undefined
  if (!user || !user.is_active || !user.password_hash) return { ok: true }
  const nonce = randomBytes(16).toString('hex')
  await db.transaction().execute(async (trx) => {
    const resetId = await insertPasswordReset(trx, {
      userId: user.id, tokenHash: hashToken(derivedToken(config.sessionSecret, 'password-reset', nonce)), now: iso,
      expiresAt: new Date(now.getTime() + RESET_MINUTES * 60_000).toISOString(),
    })
    await enqueue(trx, { channel: 'email', kind: 'password-reset', key: `password-reset:${resetId}`, recipient: `user:${user.id}`, payload: { resetId, nonce } }, now)
    await appendAuditEvent(trx, { actor: null, action: 'user.password-reset-requested', subjectType: 'user', subjectId: user.id, note: `ip ${ip}`, at: iso })
  })
  return { ok: true }
}

/** The reset behind a link, if it can still be used. */
export async function findUsableReset(db: Kysely<DB>, token: string, now = new Date()) {
  const r = await findResetByHash(db, hashToken(token))
  if (!r || r.used_at || !r.is_active || !r.password_hash || Date.parse(r.expires_at) <= now.getTime()) return undefined
  return r
}

/** Sets the new password, uses up every open link of the account and ends all its sessions. */
export async function completePasswordReset(db: Kysely<DB>, token: string, password: string, confirm: string, now = new Date()): Promise<boolean> {
  const reset = await findUsableReset(db, token, now)
  if (!reset) return false
  const errors: FieldErrors = {}
  validateNewPassword(password, confirm, errors)
  if (Object.keys(errors).length) throw new InvalidError(errors)
  const hash = await hashPassword(password)
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    // Used up in the same statement that checks it: two tabs submitting at once cannot both win.
    if (!(await expireUserResets(trx, reset.user_id, iso, reset.id))) return false
    await updateUser(trx, reset.user_id, { password_hash: hash, updated_at: iso })
    await deleteUserSessions(trx, reset.user_id)
    await expireUserInvitations(trx, reset.user_id, iso)
    await deleteLoginFailures(trx, throttleKeys(reset.username, '').account) // a locked-out person can log in at once
    await appendAuditEvent(trx, {
      actor: { id: reset.user_id, name: reset.username }, action: 'user.password-reset-by-email', subjectType: 'user', subjectId: reset.user_id, at: iso,
    })
    return true
  })
}
