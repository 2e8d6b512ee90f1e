// Account rules: creating users, roles, deactivation, passwords. Every administrative decision is
// recorded in the audit trail. Password hashing happens before a transaction opens, never inside it.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { ConflictError, type FieldErrors, ForbiddenError, InvalidError, NotFoundError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { hashPassword } from '../auth/password.js'
import { hashToken, newToken } from '../auth/tokens.js'
import { deleteUserSessions } from '../auth/queries.js'
import { enqueue } from '../outbox/service.js'
import { type CurrentUser, rolesOf } from './user.js'
import {
  countActiveAdmins, countUsers, expireUserInvitations, findInvitation, findUserByEmail, findUserById,
  findUserByUsername, insertInvitation, insertUser, markInvitationUsed, updateUser,
} from './queries.js'
import { normaliseText, validateNewPassword, validateProfile, validateUsername } from './validate.js'

export const INVITATION_DAYS = 7

type Actor = { id: number; name: string } | null
const actorOf = (u: CurrentUser | null): Actor => (u ? { id: u.id, name: u.username } : null)

/** Account administration is for admins; a null actor is the CLI (whoever runs it owns the server). */
function requireAdminActor(actor: CurrentUser | null): void {
  if (actor && !actor.isAdmin) throw new ForbiddenError('admin role required')
}

export interface NewUserInput {
  username: string
  displayName: string
  email?: string
  password?: string
  passwordConfirm?: string
  isEditor: boolean
  isAdmin: boolean
}

function normaliseNewUser<T extends NewUserInput>(raw: T): T {
  return { ...raw, username: normaliseText(raw.username).toLowerCase(), displayName: normaliseText(raw.displayName), email: normaliseText(raw.email).toLowerCase() }
}

function validateNewUser(input: NewUserInput, errors: FieldErrors): void {
  validateUsername(input.username, errors)
  validateProfile({ displayName: input.displayName, email: input.email ?? '' }, errors)
}

/** Creates an account. Without a password, returns an invitation token for the person to set one. */
export async function createUser(
  db: Kysely<DB>, actor: CurrentUser | null, raw: NewUserInput, now = new Date(),
  /** Checked inside the transaction, before the insert (e.g. "no account exists yet"). */
  guard?: (trx: Kysely<DB>) => Promise<void>,
) {
  requireAdminActor(actor)
  const input = normaliseNewUser(raw)
  const errors: FieldErrors = {}
  validateNewUser(input, errors)
  if (input.password) validateNewPassword(input.password, input.passwordConfirm, errors, [input.username, input.displayName, input.email])
  if (!errors.username && (await findUserByUsername(db, input.username))) errors.username = 'user.username.taken'
  if (input.email && !errors.email && (await findUserByEmail(db, input.email))) errors.email = 'user.email.taken'
  if (Object.keys(errors).length) throw new InvalidError(errors)

  const passwordHash = input.password ? await hashPassword(input.password) : null
  const iso = now.toISOString()
  const invitation = passwordHash ? undefined : newToken()
  const id = await db.transaction().execute(async (trx) => {
    await guard?.(trx)
    const id = await insertUser(trx, {
      username: input.username, display_name: input.displayName, email: input.email || null,
      password_hash: passwordHash, is_editor: input.isEditor ? 1 : 0, is_admin: input.isAdmin ? 1 : 0,
      created_at: iso, updated_at: iso,
    })
    if (invitation) {
      const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString()
      const invitationId = await insertInvitation(trx, { tokenHash: hashToken(invitation), userId: id, createdBy: actor?.id ?? null, now: iso, expiresAt })
      if (input.email) await mailInvitation(trx, id, invitationId, now)
    }
    await appendAuditEvent(trx, {
      actor: actorOf(actor), action: 'user.create', subjectType: 'user', subjectId: id,
      toState: rolesOf(input).join(','), note: input.username, at: iso,
    })
    return id
  })
  return { id, invitation }
}

/**
 * The invitation by e-mail too, when the server sends mail (src/outbox: a no-op otherwise); the
 * link shown to the administrator stays valid beside it.
 */
function mailInvitation(trx: Kysely<DB>, userId: number, invitationId: number, now: Date) {
  return enqueue(trx, { channel: 'email', kind: 'invitation', key: `invitation:${invitationId}`, recipient: `user:${userId}`, payload: { invitationId } }, now)
}

/** First run: creates the first administrator, only while no account exists at all. */
export async function setUpFirstAdmin(db: Kysely<DB>, input: Omit<NewUserInput, 'isEditor' | 'isAdmin'>) {
  if ((await countUsers(db)) > 0) throw new ConflictError('setup already done')
  // Every mistake at once: the password (required here) and the rest of the form.
  const errors: FieldErrors = {}
  const normalised = normaliseNewUser({ ...input, isEditor: true, isAdmin: true })
  validateNewUser(normalised, errors)
  validateNewPassword(input.password ?? '', input.passwordConfirm, errors, [normalised.username, normalised.displayName, normalised.email])
  if (Object.keys(errors).length) throw new InvalidError(errors)
  // The first administrator also gets the editor role: on a new site they are the whole team.
  // The guard runs inside the insert's transaction, so two setup forms sent at once cannot both win.
  const created = await createUser(db, null, { ...input, isEditor: true, isAdmin: true }, new Date(), async (trx) => {
    if ((await countUsers(trx)) > 0) throw new ConflictError('setup already done')
  })
  return created
}

async function requireUser(db: Kysely<DB>, id: number) {
  const user = await findUserById(db, id)
  if (!user) throw new NotFoundError('user')
  return user
}

/** Changes roles; an admin cannot take away the last active admin's role. */
export async function setRoles(db: Kysely<DB>, actor: CurrentUser | null, userId: number, roles: { isEditor: boolean; isAdmin: boolean }) {
  requireAdminActor(actor)
  await db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, userId)
    if (user.is_admin && !roles.isAdmin && user.is_active && (await countActiveAdmins(trx)) <= 1) {
      throw new ConflictError('last admin', 'user.lastAdmin')
    }
    const from = rolesOf({ isEditor: !!user.is_editor, isAdmin: !!user.is_admin }).join(',')
    const to = rolesOf(roles).join(',')
    if (from === to) return
    await updateUser(trx, userId, { is_editor: roles.isEditor ? 1 : 0, is_admin: roles.isAdmin ? 1 : 0, updated_at: new Date().toISOString() })
    await appendAuditEvent(trx, { actor: actorOf(actor), action: 'user.roles', subjectType: 'user', subjectId: userId, fromState: from, toState: to })
  })
}

/** Deactivates or reactivates. A deactivated user is logged out everywhere; their content stays. */
export async function setActive(db: Kysely<DB>, actor: CurrentUser | null, userId: number, active: boolean) {
  requireAdminActor(actor)
  await db.transaction().execute(async (trx) => {
    const user = await requireUser(trx, userId)
    if (!!user.is_active === active) return
    if (!active && user.is_admin && (await countActiveAdmins(trx)) <= 1) throw new ConflictError('last admin', 'user.lastAdmin')
    await updateUser(trx, userId, { is_active: active ? 1 : 0, updated_at: new Date().toISOString() })
    if (!active) await deleteUserSessions(trx, userId)
    await appendAuditEvent(trx, {
      actor: actorOf(actor), action: active ? 'user.reactivate' : 'user.deactivate', subjectType: 'user', subjectId: userId,
      fromState: user.is_active ? 'active' : 'deactivated', toState: active ? 'active' : 'deactivated',
    })
  })
}

/** Sets a new password and ends every other session of the user (all of them when reset by others). */
export async function setPassword(
  db: Kysely<DB>, actor: CurrentUser | null, userId: number, password: string, confirm?: string, keepSessionId?: string,
) {
  const errors: FieldErrors = {}
  const user = await findUserById(db, userId)
  validateNewPassword(password, confirm, errors, [user?.username, user?.display_name, user?.email])
  if (Object.keys(errors).length) throw new InvalidError(errors)
  const hash = await hashPassword(password)
  await db.transaction().execute(async (trx) => {
    await requireUser(trx, userId)
    await updateUser(trx, userId, { password_hash: hash, updated_at: new Date().toISOString() })
    await deleteUserSessions(trx, userId, keepSessionId)
    await expireUserInvitations(trx, userId, new Date().toISOString())
    if (actor?.id !== userId) {
      await appendAuditEvent(trx, { actor: actorOf(actor), action: 'user.password-reset', subjectType: 'user', subjectId: userId })
    }
  })
}

/** `bio` undefined: left as it is (it is edited on the profile page, src/profiles). */
export interface ProfileUpdate { displayName: string; email: string; bio?: string; language: string | null }

export async function updateProfile(db: Kysely<DB>, userId: number, raw: ProfileUpdate) {
  const input = { displayName: normaliseText(raw.displayName), email: normaliseText(raw.email).toLowerCase(), bio: raw.bio === undefined ? undefined : normaliseText(raw.bio) }
  const errors: FieldErrors = {}
  validateProfile(input, errors)
  if (input.email && !errors.email) {
    const other = await findUserByEmail(db, input.email)
    if (other && other.id !== userId) errors.email = 'user.email.taken'
  }
  if (Object.keys(errors).length) throw new InvalidError(errors)
  await updateUser(db, userId, {
    display_name: input.displayName, email: input.email || null, ...(input.bio === undefined ? {} : { bio: input.bio }),
    language: raw.language, updated_at: new Date().toISOString(),
  })
}

/** A fresh invitation link for an account (e.g. the first one expired). */
export async function reinvite(db: Kysely<DB>, actor: CurrentUser, userId: number, now = new Date()): Promise<string> {
  requireAdminActor(actor)
  const user = await requireUser(db, userId)
  if (!user.is_active) throw new ConflictError('deactivated', 'user.inviteDeactivated')
  const token = newToken()
  await db.transaction().execute(async (trx) => {
    await expireUserInvitations(trx, userId, now.toISOString())
    const invitationId = await insertInvitation(trx, {
      tokenHash: hashToken(token), userId, createdBy: actor.id, now: now.toISOString(),
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString(),
    })
    if (user.email) await mailInvitation(trx, userId, invitationId, now)
    await appendAuditEvent(trx, { actor: actorOf(actor), action: 'user.invite', subjectType: 'user', subjectId: userId })
  })
  return token
}

/** The invitation behind a link, if it can still be used. */
export async function findUsableInvitation(db: Kysely<DB>, token: string, now = new Date()) {
  const inv = await findInvitation(db, hashToken(token))
  if (!inv || inv.used_at || !inv.is_active || Date.parse(inv.expires_at) <= now.getTime()) return undefined
  return inv
}

export async function acceptInvitation(db: Kysely<DB>, token: string, password: string, confirm: string) {
  const inv = await findUsableInvitation(db, token)
  if (!inv) throw new NotFoundError('invitation')
  const errors: FieldErrors = {}
  validateNewPassword(password, confirm, errors, [inv.username, inv.display_name])
  if (Object.keys(errors).length) throw new InvalidError(errors)
  const hash = await hashPassword(password)
  const now = new Date().toISOString()
  await db.transaction().execute(async (trx) => {
    await updateUser(trx, inv.user_id, { password_hash: hash, updated_at: now })
    await markInvitationUsed(trx, inv.id, now)
    await expireUserInvitations(trx, inv.user_id, now) // the e-mailed copy (or the copied link) too
    await appendAuditEvent(trx, { actor: { id: inv.user_id, name: inv.username }, action: 'user.invitation-accepted', subjectType: 'user', subjectId: inv.user_id })
  })
  return inv
}
