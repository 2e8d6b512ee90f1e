// Signing in through the provider: find the account behind the identity, or create, claim or link
// one by the administrator's policy; refresh name and e-mail; take roles from the groups claim when a
// mapping exists (each change in the audit trail); start a session bound to the provider's session.
// One transaction: a refused sign-in creates nothing.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB, UserRow } from '../db/schema.js'
import type { SiteSettings } from '../settings/store.js'
import { appendAuditEvent } from '../audit/chain.js'
import { startSession, type SessionMeta } from '../auth/sessions.js'
import { hashToken } from '../auth/tokens.js'
import { countActiveAdmins, expireUserInvitations, findUserByEmail, findUserById, findUserByUsername, insertUser, updateUser } from '../users/queries.js'
import { rolesOf } from '../users/user.js'
import { normaliseText } from '../users/validate.js'
import { SsoError } from './client.js'
import { type ProviderProfile, usernameBase } from './claims.js'
import { deleteSessionsOfProvider, findIdentity, findIdentityOfUser, insertIdentity, insertSsoSession, touchIdentity } from './queries.js'

type Policy = Pick<SiteSettings, 'ssoCreate' | 'ssoClaim' | 'ssoLink'>
export interface SignInResult { token: string; userId: number; warnings: string[] }

export async function signInWithProvider(
  db: Kysely<DB>, config: Config, policy: Policy, profile: ProviderProfile, meta: SessionMeta, now = new Date(),
): Promise<SignInResult> {
  const iso = now.toISOString()
  const warnings: string[] = []
  return db.transaction().execute(async (trx) => {
    const identity = await findIdentity(trx, profile.issuer, profile.subject)
    let user = identity ? await findUserById(trx, identity.user_id) : await accountForNewIdentity(trx, policy, profile, iso)
    if (!user) throw new SsoError('noAccount')
    if (!user.is_active) throw new SsoError('deactivated')
    if (identity) await touchIdentity(trx, identity.id, iso)
    else await insertIdentity(trx, { userId: user.id, issuer: profile.issuer, subject: profile.subject, now: iso })

    user = await refreshProfile(trx, user, profile, iso, warnings)
    await applyProviderRoles(trx, user, profile, iso, warnings)

    const token = await startSession(trx, config, user.id, meta, now)
    await insertSsoSession(trx, { sessionId: hashToken(token), userId: user.id, issuer: profile.issuer, subject: profile.subject, sid: profile.sid ?? null })
    return { token, userId: user.id, warnings }
  })
}

/** The account a first sign-in belongs to, by policy; undefined when the policy creates none. */
async function accountForNewIdentity(trx: Kysely<DB>, policy: Policy, profile: ProviderProfile, iso: string): Promise<UserRow | undefined> {
  const existing = await findUserByEmail(trx, profile.email)
  if (existing) {
    // Another identity of the same provider already owns this account: never take it over.
    if (await findIdentityOfUser(trx, existing.id, profile.issuer)) throw new SsoError('notLinked', 'account has another identity')
    // Created in advance by an administrator: no password yet (an open invitation at most).
    const precreated = existing.password_hash === null
    const how = precreated && policy.ssoClaim ? 'claimed' : policy.ssoLink ? 'linked' : undefined
    if (!how) throw new SsoError('notLinked')
    if (precreated) await expireUserInvitations(trx, existing.id, iso)
    await appendAuditEvent(trx, {
      actor: null, action: 'user.sso-link', subjectType: 'user', subjectId: existing.id, toState: how, note: `single sign-on: ${profile.issuer}`, at: iso,
    })
    return existing
  }
  if (!policy.ssoCreate) return undefined
  const username = await freeUsername(trx, usernameBase(profile.username))
  const id = await insertUser(trx, {
    username, display_name: displayName(profile), email: profile.email, password_hash: null,
    is_editor: profile.roles?.isEditor ? 1 : 0, is_admin: profile.roles?.isAdmin ? 1 : 0, created_at: iso, updated_at: iso,
  })
  await appendAuditEvent(trx, {
    actor: null, action: 'user.create', subjectType: 'user', subjectId: id,
    toState: rolesOf(profile.roles ?? { isEditor: false, isAdmin: false }).join(','), note: `${username} (single sign-on: ${profile.issuer})`, at: iso,
  })
  return findUserById(trx, id)
}

async function freeUsername(trx: Kysely<DB>, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const candidate = i === 1 ? base : `${base}${i}`
    if (!(await findUserByUsername(trx, candidate))) return candidate
  }
}

const displayName = (p: ProviderProfile) => [...normaliseText(p.displayName)].slice(0, 80).join('') || usernameBase(p.username)

/** Name and e-mail as the provider says, at every sign-in (an e-mail another account has stays as it was). */
async function refreshProfile(trx: Kysely<DB>, user: UserRow, profile: ProviderProfile, iso: string, warnings: string[]): Promise<UserRow> {
  const name = displayName(profile)
  let email = profile.email
  if (email !== user.email) {
    const other = await findUserByEmail(trx, email)
    if (other && other.id !== user.id) {
      warnings.push('e-mail belongs to another account; kept the old one')
      email = user.email ?? ''
    }
  }
  if (name === user.display_name && (email || null) === user.email) return user
  await updateUser(trx, user.id, { display_name: name, email: email || null, updated_at: iso })
  return { ...user, display_name: name, email: email || null }
}

/** Roles from the groups claim (when mapped). The last active administrator keeps the role. */
async function applyProviderRoles(trx: Kysely<DB>, user: UserRow, profile: ProviderProfile, iso: string, warnings: string[]): Promise<void> {
  if (!profile.roles) return
  const next = { ...profile.roles }
  if (user.is_admin && !next.isAdmin && (await countActiveAdmins(trx)) <= 1) {
    warnings.push('the groups claim would remove the last administrator; role kept')
    next.isAdmin = true
  }
  const from = rolesOf({ isEditor: !!user.is_editor, isAdmin: !!user.is_admin }).join(',')
  const to = rolesOf(next).join(',')
  if (from === to) return
  await updateUser(trx, user.id, { is_editor: next.isEditor ? 1 : 0, is_admin: next.isAdmin ? 1 : 0, updated_at: iso })
  await appendAuditEvent(trx, {
    actor: null, action: 'user.roles', subjectType: 'user', subjectId: user.id, fromState: from, toState: to,
    note: `single sign-on: groups claim from ${profile.issuer}`, at: iso,
  })
}

/** Back-channel logout: ends the sessions the provider names. */
export async function endProviderSessions(db: Kysely<DB>, issuer: string, by: { sid?: string; sub?: string }): Promise<number> {
  return deleteSessionsOfProvider(db, issuer, by)
}
