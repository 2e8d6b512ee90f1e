import type { Insertable, Kysely } from 'kysely'
import type { AuditEventsTable, DB } from '../db/schema.js'

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
