// The audit trail is append-only and tamper-evident: each entry's hash covers its fields and the
// previous entry's hash, so altering or removing an entry breaks every hash after it. Removing the
// newest entries cannot be seen from inside the chain; `audit verify` prints the head hash so that it
// can be recorded elsewhere (e.g. in the daily log) and compared.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { AuditEventRow, DB } from '../db/schema.js'
import { serialize } from '../db/dialect.js'
import {
  findLastAuditEvent, insertAuditEvent, insertRedactions, listAuditEventsAfter, listAuditEventsNaming, listRedactions, updateAuditEventText,
} from './queries.js'

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
  await serialize(db, 'audit_events') // one head at a time: two appends never link to the same entry
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

/**
 * Walks the whole chain in batches (never the whole table in memory). A pseudonymised entry no longer
 * matches its own hash; it must match its seal instead, and every pseudonymisation's seals must match
 * the content hash of that pseudonymisation's own entry, which the chain protects.
 */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  const redactions = await listRedactions(db) // ordered by redaction_event_id: the newest seal wins
  const seals = new Map(redactions.map((r) => [r.event_id, r]))
  const sealedBy = new Map<number, string[]>()
  for (const r of redactions) sealedBy.set(r.redaction_event_id, [...(sealedBy.get(r.redaction_event_id) ?? []), `${r.event_id}:${r.seal}`])
  const contentHashes = new Map<number, string | null>()
  let prev = GENESIS_HASH
  let afterId = 0
  let checked = 0
  for (;;) {
    const batch = await listAuditEventsAfter(db, afterId, 1000)
    if (!batch.length) break
    for (const row of batch) {
      if (row.prev_hash !== prev) return { ok: false, checked, headHash: prev, brokenAt: { id: row.id, reason: 'link' } }
      const sealed = seals.get(row.id)
      if (hashEntry(row) !== row.hash && !(sealed && sealOf(row) === sealed.seal)) {
        return { ok: false, checked, headHash: prev, brokenAt: { id: row.id, reason: 'hash' } }
      }
      if (row.action === PSEUDONYMISE) contentHashes.set(row.id, row.content_hash)
      prev = row.hash
      afterId = row.id
      checked++
    }
  }
  for (const [eventId, list] of sealedBy) {
    if (contentHashes.get(eventId) !== sealsDigest(list)) return { ok: false, checked, headHash: prev, brokenAt: { id: eventId, reason: 'hash' } }
  }
  return { ok: true, checked, headHash: prev }
}

export const PSEUDONYMISE = 'audit.pseudonymise'

/** The hash of an entry's fields as they read after pseudonymisation (its own hash field left out). */
function sealOf(row: AuditEventRow): string {
  return createHash('sha256').update(JSON.stringify(['sealed', hashEntry(row), row.hash])).digest('hex')
}

function sealsDigest(list: string[]): string {
  return createHash('sha256').update(list.join('\n')).digest('hex')
}

/**
 * Replaces a person's names in the entries they made or that are about them with a pseudonym, in the
 * caller's transaction; the entries keep their place and hash in the chain (see verifyAuditChain),
 * and the pseudonymisation is itself an entry. Returns how many entries were changed.
 */
export async function pseudonymiseAuditActor(
  db: Kysely<DB>, person: { id: number; names: string[] }, pseudonym: string, actor: AuditEvent['actor'], at = new Date().toISOString(),
): Promise<number> {
  const names = person.names.filter((n) => n.length >= 2).sort((a, b) => b.length - a.length)
  const rows = await listAuditEventsNaming(db, person.id)
  const seals: { event_id: number; seal: string }[] = []
  for (const row of rows) {
    const scrub = (v: string | null) => (v === null ? null : names.reduce((acc, n) => acc.split(n).join(pseudonym), v))
    const next = { ...row, actor_name: row.actor_id === person.id ? pseudonym : scrub(row.actor_name)!, note: scrub(row.note), from_state: scrub(row.from_state), to_state: scrub(row.to_state) }
    if (next.actor_name === row.actor_name && next.note === row.note && next.from_state === row.from_state && next.to_state === row.to_state) continue
    await updateAuditEventText(db, row.id, next)
    seals.push({ event_id: row.id, seal: sealOf(next) })
  }
  const digest = sealsDigest(seals.map((s) => `${s.event_id}:${s.seal}`))
  await appendAuditEvent(db, { actor, action: PSEUDONYMISE, subjectType: 'user', subjectId: person.id, note: `${seals.length} entries`, contentHash: digest, at })
  const last = await findLastAuditEvent(db)
  await insertRedactions(db, seals.map((s) => ({ ...s, redaction_event_id: last!.id })))
  return seals.length
}
