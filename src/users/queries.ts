import type { Kysely } from 'kysely'
import { caseInsensitiveLike } from '../db/dialect.js'
import type { DB, UsersTable } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'
import type { Insertable, Updateable, ExpressionBuilder } from 'kysely'

/**
 * 1 for an invited person who has not yet taken the invitation (no password, no invitation used):
 * shown as «Invitert – venter» rather than active. Accounts made by SSO or with a password are never pending.
 */
function invitationPending(eb: ExpressionBuilder<DB, 'users'>) {
  return eb.case()
    .when(eb.and([
      eb('users.password_hash', 'is', null),
      eb.exists(eb.selectFrom('invitations').select('invitations.id').whereRef('invitations.user_id', '=', 'users.id')),
      eb.not(eb.exists(eb.selectFrom('invitations').select('invitations.id').whereRef('invitations.user_id', '=', 'users.id').where('invitations.used_at', 'is not', null))),
    ])).then(1).else(0).end().as('invitation_pending')
}

/** Whether an account still waits for its invitation to be taken. */
export async function isInvitationPending(db: Kysely<DB>, userId: number): Promise<boolean> {
  const row = await db.selectFrom('users').select((eb) => invitationPending(eb)).where('id', '=', userId).executeTakeFirst()
  return row?.invitation_pending === 1
}

export async function findUserById(db: Kysely<DB>, id: number) {
  return (await userById(db, id))[0]
}

const userById = compiledOnce((db: Kysely<DB>, id: number) => db.selectFrom('users').selectAll().where('id', '=', id))

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return (await userByUsername(db, username.toLowerCase()))[0]
}

const userByUsername = compiledOnce((db: Kysely<DB>, username: string) => db.selectFrom('users').selectAll().where('username', '=', username))

/** Login accepts a username or an e-mail address; both are stored in lower case. */
export function findUserByLogin(db: Kysely<DB>, identifier: string) {
  const id = identifier.trim().toLowerCase()
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username', '=', id), eb('email', '=', id)]))
    .executeTakeFirst()
}

export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export async function insertUser(db: Kysely<DB>, row: Insertable<UsersTable>): Promise<number> {
  const r = await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updateUser(db: Kysely<DB>, id: number, patch: Updateable<UsersTable>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute()
}

export async function countUsers(db: Kysely<DB>): Promise<number> {
  const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function countActiveAdmins(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_admin', '=', 1)
    .where('is_active', '=', 1)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export interface UserListFilter {
  q?: string
  after?: string // keyset cursor: the last username of the previous page
  limit: number
}

/** Users by username, filtered by a search over username, name and e-mail; keyset-paginated. */
export function listUsers(db: Kysely<DB>, f: UserListFilter) {
  let q = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'email', 'is_editor', 'is_admin', 'is_active', 'created_at'])
    .select((eb) => invitationPending(eb))
    .orderBy('username')
    .limit(f.limit + 1)
  if (f.q) {
    const op = caseInsensitiveLike(db)
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    q = q.where((eb) =>
      eb.or([
        eb('username', op, like),
        eb(eb.fn('lower', ['display_name']), op, like),
        eb('email', op, like),
      ]),
    )
  }
  if (f.after) q = q.where('username', '>', f.after)
  return q.execute()
}

export async function insertInvitation(
  db: Kysely<DB>,
  row: { tokenHash: string; userId: number; createdBy: number | null; now: string; expiresAt: string },
): Promise<number> {
  const r = await db
    .insertInto('invitations')
    .values({ token_hash: row.tokenHash, user_id: row.userId, created_by: row.createdBy, created_at: row.now, expires_at: row.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export function findInvitation(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('users', 'users.id', 'invitations.user_id')
    .select(['invitations.id', 'invitations.user_id', 'invitations.expires_at', 'invitations.used_at', 'users.username', 'users.display_name', 'users.is_active', 'users.is_admin', 'users.email'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export async function markInvitationUsed(db: Kysely<DB>, id: number, now: string): Promise<void> {
  await db.updateTable('invitations').set({ used_at: now }).where('id', '=', id).execute()
}

export async function expireUserInvitations(db: Kysely<DB>, userId: number, now: string): Promise<void> {
  await db.updateTable('invitations').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute()
}

export async function updateUserTheme(db: Kysely<DB>, id: number, theme: 'light' | 'dark' | null): Promise<void> {
  await db.updateTable('users').set({ theme }).where('id', '=', id).execute()
}
