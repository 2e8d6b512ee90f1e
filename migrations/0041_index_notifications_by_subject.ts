import type { Kysely } from 'kysely'

// Who has been told about one thing (e.g. the people a comment mentioned): looked up by subject.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('notifications_subject_idx')
    .on('notifications')
    .columns(['subject_type', 'subject_id', 'kind'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_subject_idx').execute()
}
