// Ownership and review dates: every published post has an owner (a person, a unit written as free
// text, or both) and a day by which it should be reviewed — by default REVIEW_MONTHS_DEFAULT months
// (a site setting) after it was published. Editors and the owner change both; "mark as reviewed"
// records who and when, in the row and in the audit trail, and sets the next review date. An hourly job
// reminds the owner (or, with no person named, the author) once per review date.
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { appendAuditEvent } from '../audit/chain.js'
import { ForbiddenError, InvalidError, NotFoundError, type FieldErrors } from '../errors.js'
import { upsertSetting } from '../settings/queries.js'
import { notify } from '../notifications/service.js'
import { findPostById } from '../posts/queries.js'
import {
  findActiveUserByUsername, findHighestPostId, findReviewMonths, findStewardship, insertStewardship, listPostsWithoutStewardship, listUnreminded,
  MONTHS_KEY, updateStewardship,
} from './queries.js'

export const REVIEW_MONTHS_DEFAULT = 12
/** Post ids looked at per statement when rows are filled in: a few milliseconds at a time. */
const SCAN = 2_000
const MAX_UNIT = 200

const osloDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The Oslo calendar day of an instant, YYYY-MM-DD. */
export function osloDay(at: Date | string): string {
  return osloDayFormat.format(typeof at === 'string' ? new Date(at) : at)
}

/** YYYY-MM-DD plus whole months; the 31st becomes the month's last day when the month is shorter. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate()
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10)
}

export function isDay(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
}

export async function reviewMonths(db: Kysely<DB>): Promise<number> {
  const v = await findReviewMonths(db)
  return v && /^\d+$/.test(v) ? Number(v) : REVIEW_MONTHS_DEFAULT
}

const defaultRow = (post: { id: number; author_id: number }, publishedAt: string, months: number) =>
  ({ post_id: post.id, owner_id: post.author_id, review_by: addMonths(osloDay(publishedAt), months) })

/**
 * Gives a post just published its default row (owner: the author; due a review period after it was
 * published), in the publishing transaction. A post that has one keeps it (published again).
 */
export async function addStewardship(db: Kysely<DB>, post: { id: number; author_id: number }, publishedAt: string): Promise<void> {
  await insertStewardship(db, [defaultRow(post, publishedAt, await reviewMonths(db))])
}

/**
 * Gives every published post without one its default row. Idempotent. Publishing and the import add
 * the row; this catches posts published otherwise (older versions, data loaded by hand) for the
 * hourly job. It walks the posts a slice of ids at a time and lets other work run in between: one
 * statement over 100,000 posts held a SQLite server for 250 ms (on every editors' list, before).
 */
export async function ensureStewardship(db: Kysely<DB>, scan = SCAN): Promise<number> {
  const months = await reviewMonths(db)
  const highest = await findHighestPostId(db)
  let added = 0
  for (let after = 0; after < highest; after += scan) {
    const posts = await listPostsWithoutStewardship(db, after, after + scan)
    await insertStewardship(db, posts.map((p) => defaultRow(p, p.published_at!, months)))
    added += posts.length
    await nextTurn()
  }
  return added
}

interface Owned { owner_id: number | null }

/** Editors, the owner, and — when no person owns the post — its author. */
export function mayManage(s: Owned, post: { author_id: number }, user: CurrentUser | null | undefined): boolean {
  if (!user) return false
  return user.isEditor || user.id === s.owner_id || (s.owner_id === null && user.id === post.author_id)
}

async function loadForChange(db: Kysely<DB>, postId: number, actor: CurrentUser) {
  const post = await findPostById(db, postId)
  if (!post || post.status !== 'published') throw new NotFoundError('post')
  let s = await findStewardship(db, postId)
  // Published otherwise than through publishing or the import (ensureStewardship): its row now.
  if (!s && post.published_at) {
    await addStewardship(db, post, post.published_at)
    s = await findStewardship(db, postId)
  }
  if (!s) throw new NotFoundError('post')
  if (!mayManage(s, post, actor)) throw new ForbiddenError('not the owner')
  return { post, s }
}

/** The owner page's data; throws unless the person may change it. */
export async function stewardshipForEdit(db: Kysely<DB>, postId: number, actor: CurrentUser) {
  return loadForChange(db, postId, actor)
}

export interface OwnershipInput { owner: string; unit: string; reviewBy: string }

export async function saveOwnership(db: Kysely<DB>, actor: CurrentUser, postId: number, input: OwnershipInput, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { s } = await loadForChange(trx, postId, actor)
    const errors: FieldErrors = {}
    const username = input.owner.trim().replace(/^@/, '')
    const unit = input.unit.trim().replace(/\s+/g, ' ')
    const owner = username ? await findActiveUserByUsername(trx, username) : undefined
    if (username && !owner) errors.owner = 'stewardship.owner.unknown'
    if (!username && !unit) errors.owner = 'stewardship.owner.required'
    if (unit.length > MAX_UNIT) errors.unit = 'stewardship.unit.tooLong'
    if (!isDay(input.reviewBy.trim())) errors.reviewBy = 'stewardship.reviewBy.invalid'
    if (Object.keys(errors).length) throw new InvalidError(errors)
    const next = { owner_id: owner?.id ?? null, owner_unit: unit, review_by: input.reviewBy.trim() }
    const describe = (x: { owner_id: number | null; owner_unit: string; review_by: string }) => `owner=${x.owner_id ?? '-'}; unit=${x.owner_unit}; review_by=${x.review_by}`
    await updateStewardship(trx, postId, next)
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'post.ownership', subjectType: 'post', subjectId: postId, at: now.toISOString(),
      fromState: describe(s), toState: describe(next),
    })
  })
}

/** Records a review: who and when, in the row and the audit trail; the next review is due a period later. */
export async function markReviewed(db: Kysely<DB>, actor: CurrentUser, postId: number, now = new Date()): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const { s } = await loadForChange(trx, postId, actor)
    const iso = now.toISOString()
    const next = addMonths(osloDay(now), await reviewMonths(trx))
    await updateStewardship(trx, postId, { reviewed_at: iso, reviewed_by: actor.id, review_by: next, reminded_for: null })
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'post.reviewed', subjectType: 'post', subjectId: postId, at: iso,
      fromState: `review_by=${s.review_by}`, toState: `review_by=${next}`,
    })
    return next
  })
}

export async function setReviewMonths(db: Kysely<DB>, actor: CurrentUser, raw: string, now = new Date()): Promise<void> {
  const value = raw.trim()
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 120) throw new InvalidError({ months: 'stewardship.months.invalid' })
  if (!actor.isEditor) throw new ForbiddenError('editor role required')
  await db.transaction().execute(async (trx) => {
    const before = await reviewMonths(trx)
    await upsertSetting(trx, MONTHS_KEY, value, now.toISOString(), actor.id)
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'settings.reviewMonths', subjectType: 'settings', subjectId: 0, at: now.toISOString(),
      fromState: String(before), toState: value,
    })
  })
}

/** Reminds the owners of posts due for review today or earlier, once per review date; returns how many. */
export async function sendReviewReminders(db: Kysely<DB>, now = new Date()): Promise<number> {
  await ensureStewardship(db)
  const today = osloDay(now)
  let sent = 0
  for (;;) {
    const due = await listUnreminded(db, today, 100)
    if (!due.length) return sent
    for (const p of due) {
      await db.transaction().execute(async (trx) => {
        await notify(trx, p.owner_id ?? p.author_id, {
          kind: 'post.review', actorId: null, subjectType: 'post', subjectId: p.id,
          data: { title: p.title, slug: p.slug, date: p.review_by, href: `/posts/${p.id}/ownership` },
        }, now)
        await updateStewardship(trx, p.id, { reminded_for: p.review_by })
      })
      sent++
    }
  }
}
