import type { Kysely } from 'kysely'

// Retention rules set by administrators: content of a type older than `years` is disposed of daily.
// No row for a type: kept for ever.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_rules')
    .addColumn('content_type', 'text', (c) => c.primaryKey())
    .addColumn('years', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_rules').execute()
}
