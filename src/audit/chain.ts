// The audit trail is append-only and tamper-evident: each entry's hash covers its fields and the
// previous entry's hash, so altering or removing an entry breaks every hash after it. Removing the
// newest entries cannot be seen from inside the chain; `audit verify` prints the head hash so that it
// can be recorded elsewhere (e.g. in the daily log) and compared.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AuditEventRow, DB } from '../db/schema.js'
import { findLastAuditEvent, insertAuditEvent, listAuditEventsAfter } from './queries.js'

export const GENESIS_HASH = '0'.repeat(64)

export interface AuditEvent {
  actor: { id: number; name: string } | null // null: the system (scheduler, import)
  action: string
  subjectType: string
  subjectId: number
  fromState?: string | null
  toState?: string | null
  note?: string | null
  contentHash?: string | null
  at?: string
}

type HashedFields = Omit<AuditEventRow, 'id' | 'hash'>

export function hashEntry(e: HashedFields): string {
  const fields = [
    e.prev_hash, e.at, e.actor_id, e.actor_name, e.action, e.subject_type, e.subject_id,
    e.from_state, e.to_state, e.note, e.content_hash,
  ]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

/** Appends one entry. Call inside the transaction that makes the change it records. */
export async function appendAuditEvent(db: Kysely<DB>, e: AuditEvent): Promise<void> {
  const last = await findLastAuditEvent(db)
  const row: HashedFields = {
    at: e.at ?? new Date().toISOString(),
    actor_id: e.actor?.id ?? null,
    actor_name: e.actor?.name ?? 'system',
    action: e.action,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    from_state: e.fromState ?? null,
    to_state: e.toState ?? null,
    note: e.note ?? null,
    content_hash: e.contentHash ?? null,
    prev_hash: last?.hash ?? GENESIS_HASH,
  }
  await insertAuditEvent(db, { ...row, hash: hashEntry(row) })
}

export interface VerifyResult {
  ok: boolean
  checked: number
  headHash: string
  /** The first entry whose hash or link does not match. */
  brokenAt?: { id: number; reason: 'hash' | 'link' }
}

/** Walks the whole chain in batches (never the whole table in memory). */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let prev = GENESIS_HASH
  let afterId = 0
  let checked = 0
  for (;;) {
    const batch = await listAuditEventsAfter(db, afterId, 1000)
    if (!batch.length) return { ok: true, checked, headHash: prev }
    for (const row of batch) {
      if (row.prev_hash !== prev) return { ok: false, checked, headHash: prev, brokenAt: { id: row.id, reason: 'link' } }
      if (hashEntry(row) !== row.hash) return { ok: false, checked, headHash: prev, brokenAt: { id: row.id, reason: 'hash' } }
      prev = row.hash
      afterId = row.id
      checked++
    }
  }
}
