// Privacy rights (GDPR): a person's own copy of everything stored about them (art. 15 and 20), and an
// administrator's erasure of a person (art. 17) with a choice for each kind of content. The account
// row stays as an empty, deactivated tombstone: decisions the person made on other people's posts
// and the threads they took part in keep their shape, but nothing names them any more — the audit
// trail included, where their entries are pseudonymised without breaking the chain.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { appendAuditEvent, pseudonymiseAuditActor } from '../audit/chain.js'
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors.js'
import { deleteUpdate } from '../micro/service.js'
import { deleteComment } from '../comments/service.js'
import { syncPostTags } from '../tags/service.js'
import { deleteFollowsOf } from '../following/queries.js'
import { deleteBookmarksOf } from '../bookmarks/queries.js'
import {
  anonymiseAccount, blankDeletedContent, deleteLoginFailuresNaming, deletePostRow, findPerson, listAuditAboutUser, listImportedIdentity,
  listLivingCommentIds, listLivingUpdateIds, listLoginFailuresNaming, listOwnUploads, listPersonColumns, listPostIdsOf, listRowsWhere,
} from './queries.js'

// Secrets are about the person too, but a copy of them is a risk and of no use to them.
const SECRET_COLUMNS = new Set(['password_hash', 'token_hash', 'key_hash', 'nonce'])
const SECRET_TABLE_KEYS: Record<string, string> = { sessions: 'id' }

export interface PersonalData {
  person: { id: number; username: string; displayName: string }
  exportedAt: string
  /** table → the rows about the person, secrets replaced by "[hidden]". */
  tables: Record<string, Record<string, unknown>[]>
  images: { name: string; data: Buffer }[]
}

function mask(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) out[k] = SECRET_COLUMNS.has(k) || SECRET_TABLE_KEYS[table] === k ? '[hidden]' : v
  return out
}

export async function collectPersonalData(db: Kysely<DB>, uploadsDir: string, userId: number, now = new Date()): Promise<PersonalData> {
  const user = await findPerson(db, userId)
  if (!user) throw new NotFoundError('user')
  const tables: Record<string, Record<string, unknown>[]> = { users: [mask('users', user)] }
  const add = (table: string, rows: Record<string, unknown>[]) => {
    const list = (tables[table] ??= [])
    for (const r of rows) {
      const m = mask(table, r)
      if (!list.some((x) => JSON.stringify(x) === JSON.stringify(m))) list.push(m)
    }
  }
  for (const c of await listPersonColumns(db)) add(c.table, await listRowsWhere(db, c, userId))
  add('audit_events', await listAuditAboutUser(db, userId))
  add('wordpress_map', await listImportedIdentity(db, userId))
  add('login_failures', await listLoginFailuresNaming(db, user.username))
  for (const k of Object.keys(tables)) if (!tables[k]!.length) delete tables[k]
  const images: PersonalData['images'] = []
  for (const u of await listOwnUploads(db, userId)) {
    const data = await fs.readFile(path.join(uploadsDir, u.path)).catch(() => undefined)
    if (data) images.push({ name: `images/${u.id}${path.extname(u.path)}`, data })
  }
  return { person: { id: user.id, username: user.username, displayName: user.display_name }, exportedAt: now.toISOString(), tables, images }
}

export type ContentChoice = 'keep' | 'delete'
export interface ErasureChoices { mode: 'anonymise' | 'delete'; posts: ContentChoice; comments: ContentChoice; updates: ContentChoice }

/** The name an erased person's account and audit entries carry from then on. */
export const pseudonymOf = (id: number) => ({ username: `anonymisert-${id}`, displayName: `Anonymisert bruker ${id}` })

export function parseErasure(body: Record<string, unknown>): ErasureChoices {
  const pick = (v: unknown): ContentChoice | undefined => (v === 'keep' || v === 'delete' ? v : undefined)
  const mode = body.mode === 'delete' ? 'delete' : body.mode === 'anonymise' ? 'anonymise' : undefined
  const errors: Record<string, 'privacy.erase.choose' | 'privacy.erase.confirmRequired'> = {}
  if (!mode) errors.mode = 'privacy.erase.choose'
  const [posts, comments, updates] = [pick(body.posts), pick(body.comments), pick(body.updates)]
  if (mode === 'anonymise') {
    if (!posts) errors.posts = 'privacy.erase.choose'
    if (!comments) errors.comments = 'privacy.erase.choose'
    if (!updates) errors.updates = 'privacy.erase.choose'
  }
  if (body.confirm !== 'on') errors.confirm = 'privacy.erase.confirmRequired'
  if (Object.keys(errors).length) throw new InvalidError(errors)
  return mode === 'delete' ? { mode, posts: 'delete', comments: 'delete', updates: 'delete' } : { mode: mode!, posts: posts!, comments: comments!, updates: updates! }
}

/** An administrator erases a person. Each step can be repeated: a half-done erasure is finished by running it again. */
export async function erasePerson(db: Kysely<DB>, actor: CurrentUser, userId: number, choices: ErasureChoices, now = new Date()): Promise<void> {
  if (!actor.isAdmin) throw new ForbiddenError('admin role required')
  const user = await findPerson(db, userId)
  if (!user) throw new NotFoundError('user')
  if (user.is_admin) throw new ConflictError('an administrator cannot be erased', 'privacy.erase.isAdmin')
  const iso = now.toISOString()
  // The content services keep counts, threads and the moderation queue right; they act as the author.
  const asAuthor: CurrentUser = { id: user.id, username: user.username, displayName: user.display_name, email: null, isEditor: false, isAdmin: false, language: null, sessionId: 'erasure' }
  if (choices.updates === 'delete') for (const { id } of await listLivingUpdateIds(db, userId)) await deleteUpdate(db, asAuthor, id, now)
  if (choices.comments === 'delete') for (const { id } of await listLivingCommentIds(db, userId)) await deleteComment(db, asAuthor, id, now)
  const names = [user.username, user.display_name, ...(user.email ? [user.email] : [])]
  const p = pseudonymOf(userId)
  await db.transaction().execute(async (trx) => {
    if (choices.posts === 'delete') {
      for (const { id } of await listPostIdsOf(trx, userId)) {
        await syncPostTags(trx, id, [], null)
        await deletePostRow(trx, id)
      }
    }
    await blankDeletedContent(trx, userId)
    await deleteLoginFailuresNaming(trx, user.username)
    await anonymiseAccount(trx, userId, p.username, p.displayName, iso)
    await deleteFollowsOf(trx, userId) // both ways: whom they followed and who followed them
    await deleteBookmarksOf(trx, userId)
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'user.erase', subjectType: 'user', subjectId: userId, at: iso,
      note: `mode=${choices.mode} posts=${choices.posts} comments=${choices.comments} updates=${choices.updates}`,
    })
    await pseudonymiseAuditActor(trx, { id: userId, names }, p.username, { id: actor.id, name: actor.username }, iso)
  })
}
