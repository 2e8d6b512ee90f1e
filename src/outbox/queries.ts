// SQL of the outbox. The claim is one UPDATE … RETURNING: atomic, so two workers (or a worker and
// one restarted after a crash) never take the same row at once.
import { type Kysely, sql } from 'kysely'
import type { DB, OutboxStatus } from '../db/schema.js'
import { isPostgres } from '../db/dialect.js'

export interface OutboxInsert {
  channel: string
  kind: string
  key: string
  recipient: string
  payload: string
  dueAt: string
  now: string
}

/** Inserts a message unless one with the same idempotency key exists; true when inserted. */
export async function insertOutboxMessage(db: Kysely<DB>, m: OutboxInsert): Promise<boolean> {
  const r = await db
    .insertInto('outbox')
    .values({
      channel: m.channel, kind: m.kind, idempotency_key: m.key, recipient: m.recipient, payload: m.payload,
      next_attempt_at: m.dueAt, created_at: m.now, updated_at: m.now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/**
 * Claims up to `limit` due messages of the given channels: pending ones whose time has come, and
 * ones being sent whose lease ran out (their sender died). Each claim counts as an attempt.
 */
export function claimDueMessages(db: Kysely<DB>, channels: string[], claimToken: string, now: string, leaseUntil: string, limit: number) {
  const due = db
    .selectFrom('outbox')
    .select('id')
    .where('channel', 'in', channels)
    .where((eb) => eb.or([
      eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
      eb.and([eb('status', '=', 'sending'), eb('lease_until', '<=', now)]),
    ]))
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(limit)
  // PostgreSQL re-checks only `id in (…)` after waiting for a row another worker claimed: without
  // SKIP LOCKED both would take it. (SQLite has one writer: the UPDATE is atomic as it is.)
  const claimable = isPostgres(db) ? due.forUpdate().skipLocked() : due
  return db
    .updateTable('outbox')
    .set({ status: 'sending', claim_token: claimToken, lease_until: leaseUntil, attempts: sql`attempts + 1`, updated_at: now })
    .where('id', 'in', claimable)
    .returningAll()
    .execute()
}

/** Ends a claim; does nothing when the claim was lost (the lease ran out and another worker took it). */
export async function finishClaim(
  db: Kysely<DB>, id: number, claimToken: string,
  patch: { status: OutboxStatus; now: string; error?: string | null; nextAttemptAt?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({
      status: patch.status, claim_token: null, lease_until: null, updated_at: patch.now,
      ...(patch.error !== undefined ? { last_error: patch.error } : {}),
      ...(patch.nextAttemptAt ? { next_attempt_at: patch.nextAttemptAt } : {}),
      ...(patch.status === 'sent' || patch.status === 'skipped' ? { sent_at: patch.now } : {}),
    })
    .where('id', '=', id)
    .where('claim_token', '=', claimToken)
    .where('status', '=', 'sending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export function findOutboxMessage(db: Kysely<DB>, id: number) {
  return db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Makes a waiting or failed message due now, with a fresh count of attempts. */
export async function resetOutboxMessage(db: Kysely<DB>, id: number, now: string): Promise<boolean> {
  const r = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function countOutboxByStatus(db: Kysely<DB>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

const LISTED = ['id', 'channel', 'kind', 'recipient', 'status', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'updated_at', 'sent_at'] as const

/** Messages in the given states; waiting ones oldest first, the others newest first. */
export function listOutboxMessages(db: Kysely<DB>, statuses: OutboxStatus[], limit: number, oldestFirst: boolean) {
  return db
    .selectFrom('outbox')
    .select([...LISTED])
    .where('status', 'in', statuses)
    .orderBy('id', oldestFirst ? 'asc' : 'desc')
    .limit(limit)
    .execute()
}
