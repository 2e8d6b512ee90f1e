import type { Insertable, Kysely } from 'kysely'
import type { AuditEventsTable, AuditRedactionsTable, DB } from '../db/schema.js'

export function findLastAuditEvent(db: Kysely<DB>) {
  return db.selectFrom('audit_events').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst()
}

export async function insertAuditEvent(db: Kysely<DB>, row: Insertable<AuditEventsTable>): Promise<void> {
  await db.insertInto('audit_events').values(row).execute()
}

export function listAuditEventsAfter(db: Kysely<DB>, afterId: number, limit: number) {
  return db.selectFrom('audit_events').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute()
}

export function listAuditEventsFor(db: Kysely<DB>, subjectType: string, subjectId: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('subject_type', '=', subjectType)
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute()
}

/** Entries a person made or that are about their account. */
export function listAuditEventsNaming(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where((eb) => eb.or([eb('actor_id', '=', userId), eb.and([eb('subject_type', '=', 'user'), eb('subject_id', '=', userId)])]))
    .orderBy('id')
    .execute()
}

export async function updateAuditEventText(
  db: Kysely<DB>, id: number, v: { actor_name: string; note: string | null; from_state: string | null; to_state: string | null },
): Promise<void> {
  await db.updateTable('audit_events').set({ actor_name: v.actor_name, note: v.note, from_state: v.from_state, to_state: v.to_state }).where('id', '=', id).execute()
}

export function listRedactions(db: Kysely<DB>) {
  return db.selectFrom('audit_redactions').selectAll().orderBy('redaction_event_id').orderBy('event_id').execute()
}

export async function insertRedactions(db: Kysely<DB>, rows: Insertable<AuditRedactionsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('audit_redactions').values(rows).execute()
}
