import type { Kysely } from 'kysely'

// Pseudonymised audit entries (GDPR art. 17): an entry whose personal fields were replaced keeps its
// original hash in the chain; its seal is the hash of its fields as they now read, and the seals of
// one pseudonymisation are themselves covered by that pseudonymisation's own audit entry. An entry
// pseudonymised twice (two people named in it) has two seals; the newest must match it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_redactions')
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('seal', 'text', (c) => c.notNull())
    .addColumn('redaction_event_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_redactions_pk', ['event_id', 'redaction_event_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_redactions').execute()
}
