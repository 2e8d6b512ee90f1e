// Retention: administrators set, per content type, after how many years content is disposed of and
// how (deleted, or — for comments — anonymised). A daily job disposes of what the rules reach; the
// dry run lists exactly what the job would do now (both use planDisposal). Each disposal is recorded
// in the audit trail (what, which rule, when, the hash of the content), appended like any entry.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { appendAuditEvent } from '../audit/chain.js'
import { InvalidError } from '../errors.js'
import { deleteUpdate } from '../micro/service.js'
import { isVisibleComment } from '../comments/service.js'
import { addToCommentCount, findComment, markCommentDeleted } from '../comments/queries.js'
import { syncPostTags } from '../tags/service.js'
import {
  blankComment, blankUpdate, deletePostRow, detachCommentAuthor, listOldComments, listOldPosts, listOldUpdates, listRules, replaceRules,
} from './queries.js'

export const CONTENT_TYPES = ['updates', 'comments', 'posts'] as const
export type ContentType = (typeof CONTENT_TYPES)[number]
export type Action = 'delete' | 'anonymise'
export interface Rule { type: ContentType; years: number; action: Action }
export interface Disposal { type: ContentType; id: number; createdAt: string; rule: string; action: Action; contentHash: string }

const SUBJECT: Record<ContentType, string> = { updates: 'micro', comments: 'comment', posts: 'post' }
const sha = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex')
const ruleName = (r: Rule) => `${r.type} after ${r.years} years: ${r.action}`

export async function loadRules(db: Kysely<DB>): Promise<Rule[]> {
  return (await listRules(db)).map((r) => ({ type: r.content_type as ContentType, years: r.years, action: r.action as Action }))
}

/** Form values (years blank = keep for ever) to rules; anonymising is offered for comments only. */
export function parseRules(values: Record<string, string | undefined>): Rule[] {
  const rules: Rule[] = []
  const errors: Record<string, 'retention.years.invalid' | 'retention.action.invalid'> = {}
  for (const type of CONTENT_TYPES) {
    const years = (values[`${type}Years`] ?? '').trim()
    const action = values[`${type}Action`] ?? 'delete'
    if (!years) continue
    if (!/^\d+$/.test(years) || Number(years) < 1 || Number(years) > 100) errors[`${type}Years`] = 'retention.years.invalid'
    if (action !== 'delete' && !(action === 'anonymise' && type === 'comments')) errors[`${type}Action`] = 'retention.action.invalid'
    rules.push({ type, years: Number(years), action: action as Action })
  }
  if (Object.keys(errors).length) throw new InvalidError(errors)
  return rules
}

export async function saveRules(db: Kysely<DB>, actor: CurrentUser, rules: Rule[], now = new Date()): Promise<void> {
  const iso = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const before = (await loadRules(trx)).map(ruleName).join('; ')
    await replaceRules(trx, rules.map((r) => ({ content_type: r.type, years: r.years, action: r.action })), actor.id, iso)
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'retention.rules', subjectType: 'retention', subjectId: 0, at: iso,
      fromState: before || 'none', toState: rules.map(ruleName).join('; ') || 'none',
    })
  })
}

function cutoff(now: Date, years: number): string {
  const d = new Date(now)
  d.setUTCFullYear(d.getUTCFullYear() - years)
  return d.toISOString()
}

/** What the rules reach at `now`: the dry run's report and the real run's work list. */
export async function planDisposal(db: Kysely<DB>, now = new Date()): Promise<Disposal[]> {
  const out: Disposal[] = []
  for (const r of await loadRules(db)) {
    const before = cutoff(now, r.years)
    const base = { type: r.type, rule: ruleName(r), action: r.action }
    if (r.type === 'updates') for (const u of await listOldUpdates(db, before)) out.push({ ...base, id: u.id, createdAt: u.created_at, contentHash: sha(u.body) })
    if (r.type === 'comments') for (const c of await listOldComments(db, before, r.action)) out.push({ ...base, id: c.id, createdAt: c.created_at, contentHash: sha(c.body_md) })
    if (r.type === 'posts') for (const p of await listOldPosts(db, before)) out.push({ ...base, id: p.id, createdAt: p.published_at ?? p.created_at, contentHash: sha(p.title, p.body_md) })
  }
  return out
}

/** Disposes of everything planDisposal lists, each item with its own audit entry; returns the list. */
export async function runDisposal(db: Kysely<DB>, now = new Date()): Promise<Disposal[]> {
  const plan = await planDisposal(db, now)
  const iso = now.toISOString()
  for (const d of plan) {
    if (d.type === 'updates') {
      const row = await db.selectFrom('micro_posts').select(['author_id', 'deleted_at']).where('id', '=', d.id).executeTakeFirstOrThrow()
      // The microblog service keeps counts and threads right; it acts as the author.
      if (!row.deleted_at) await deleteUpdate(db, { id: row.author_id } as CurrentUser, d.id, now)
    }
    await db.transaction().execute(async (trx) => {
      if (d.type === 'updates') await blankUpdate(trx, d.id)
      if (d.type === 'comments') {
        const c = await findComment(trx, d.id)
        if (c && d.action === 'delete') {
          if (!c.deleted_at) {
            await markCommentDeleted(trx, d.id, iso)
            if (isVisibleComment(c)) await addToCommentCount(trx, c.post_id, -1)
          }
          await blankComment(trx, d.id)
        } else if (c) await detachCommentAuthor(trx, d.id)
      }
      if (d.type === 'posts') {
        await syncPostTags(trx, d.id, [], null)
        await deletePostRow(trx, d.id)
      }
      await appendAuditEvent(trx, {
        actor: null, action: `retention.${d.action}`, subjectType: SUBJECT[d.type], subjectId: d.id, at: iso, note: d.rule, contentHash: d.contentHash,
      })
    })
  }
  return plan
}
