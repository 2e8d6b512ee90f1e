// SQL of moderation: posting limits, reports and the editors' queue.
import { type Kysely, sql } from 'kysely'
import type { DB, ModerationStatus, ModerationSubject } from '../db/schema.js'

// ── Posting limits ───────────────────────────────────────────────────────────────────────────────

export async function countRecentMicroPosts(db: Kysely<DB>, authorId: number, since: string): Promise<number> {
  const r = await db
    .selectFrom('micro_posts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function countRecentComments(db: Kysely<DB>, authorId: number, since: string): Promise<number> {
  const r = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('author_id', '=', authorId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Whether the author wrote exactly this text (not since deleted) after `since`. */
export async function hasRecentDuplicate(db: Kysely<DB>, kind: 'micro' | 'comment', authorId: number, text: string, since: string) {
  const row =
    kind === 'micro'
      ? await db.selectFrom('micro_posts').select('id').where('author_id', '=', authorId).where('created_at', '>', since)
          .where('body', '=', text).where('deleted_at', 'is', null).limit(1).executeTakeFirst()
      : await db.selectFrom('comments').select('id').where('author_id', '=', authorId).where('created_at', '>', since)
          .where('body_md', '=', text).where('deleted_at', 'is', null).limit(1).executeTakeFirst()
  return row !== undefined
}

// ── Items and reports ────────────────────────────────────────────────────────────────────────────

export function findItem(db: Kysely<DB>, type: ModerationSubject, subjectId: number) {
  return db.selectFrom('moderation_items').selectAll().where('subject_type', '=', type).where('subject_id', '=', subjectId).executeTakeFirst()
}

export function findItemById(db: Kysely<DB>, id: number) {
  return db.selectFrom('moderation_items').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The item of a subject, created when missing; returns its id. */
export async function ensureItem(
  db: Kysely<DB>, type: ModerationSubject, subjectId: number, authorId: number | null, status: ModerationStatus, now: string,
): Promise<number> {
  const existing = await findItem(db, type, subjectId)
  if (existing) return existing.id
  const r = await db
    .insertInto('moderation_items')
    .values({ subject_type: type, subject_id: subjectId, author_id: authorId, status, queued_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

export async function updateItem(
  db: Kysely<DB>, id: number, patch: { status?: ModerationStatus; queued_at?: string; open_reports?: number; updated_at: string },
): Promise<void> {
  await db.updateTable('moderation_items').set(patch).where('id', '=', id).execute()
}

export function findOpenReport(db: Kysely<DB>, itemId: number, reporterId: number) {
  return db.selectFrom('reports').select('id').where('item_id', '=', itemId).where('reporter_id', '=', reporterId)
    .where('resolved_at', 'is', null).executeTakeFirst()
}

export async function insertReport(db: Kysely<DB>, row: { itemId: number; reporterId: number; reason: string; now: string }) {
  await db.insertInto('reports').values({ item_id: row.itemId, reporter_id: row.reporterId, reason: row.reason, created_at: row.now }).execute()
}

/** Resolves an item's open reports; returns how many there were. */
export async function resolveReports(db: Kysely<DB>, itemId: number, by: number | null, now: string): Promise<number> {
  const r = await db.updateTable('reports').set({ resolved_at: now, resolved_by: by })
    .where('item_id', '=', itemId).where('resolved_at', 'is', null).executeTakeFirst()
  return Number(r.numUpdatedRows)
}

/** When the author deletes an item, its open reports are settled: there is nothing left to judge. */
export async function settleItemOf(db: Kysely<DB>, type: ModerationSubject, subjectId: number, now: string): Promise<void> {
  const item = await findItem(db, type, subjectId)
  if (!item || item.status !== 'open') return
  await resolveReports(db, item.id, null, now)
  await updateItem(db, item.id, { status: 'cleared', open_reports: 0, updated_at: now })
}

export interface QueueCursor { at: string; id: number }

/** Items in one state: the queue (open, oldest first) or the hidden list (newest first). Keyset-paginated. */
export function listItems(db: Kysely<DB>, status: ModerationStatus, limit: number, after?: QueueCursor) {
  const oldestFirst = status === 'open'
  const col = oldestFirst ? 'queued_at' : 'updated_at'
  let q = db
    .selectFrom('moderation_items')
    .leftJoin('users', 'users.id', 'moderation_items.author_id')
    .select([
      'moderation_items.id', 'subject_type', 'subject_id', 'author_id', 'status', 'open_reports', 'queued_at',
      'moderation_items.updated_at', 'users.username as author_username', 'users.display_name as author_name',
    ])
    .where('status', '=', status)
    .orderBy(`moderation_items.${col}`, oldestFirst ? 'asc' : 'desc')
    .orderBy('moderation_items.id', oldestFirst ? 'asc' : 'desc')
    .limit(limit + 1)
  if (after) {
    q = q.where(({ eb, refTuple, tuple }) =>
      eb(refTuple(`moderation_items.${col}`, 'moderation_items.id'), oldestFirst ? '>' : '<', tuple(after.at, after.id)))
  }
  return q.execute()
}

export async function countItems(db: Kysely<DB>, status: ModerationStatus): Promise<number> {
  const r = await db.selectFrom('moderation_items').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirstOrThrow()
  return Number(r.n)
}

/** The open reports of some items, oldest first, with the reporters' names (at most `perItem` each). */
export function listOpenReports(db: Kysely<DB>, itemIds: number[], perItem = 20) {
  if (!itemIds.length) return Promise.resolve([])
  return db
    .with('ranked', (qb) => qb
      .selectFrom('reports')
      .select(['id', 'item_id', 'reporter_id', 'reason', 'created_at',
        sql<number>`row_number() over (partition by item_id order by id)`.as('n')])
      .where('item_id', 'in', itemIds)
      .where('resolved_at', 'is', null))
    .selectFrom('ranked')
    .innerJoin('users', 'users.id', 'ranked.reporter_id')
    .select(['ranked.id', 'ranked.item_id', 'ranked.reason', 'ranked.created_at', 'users.username', 'users.display_name'])
    .where('ranked.n', '<=', perItem)
    .orderBy('ranked.item_id')
    .orderBy('ranked.id')
    .execute()
}
