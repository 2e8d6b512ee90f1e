import type { Kysely } from 'kysely'

// Outgoing webhooks (src/webhooks): what administrators configured, and the last deliveries with the
// receiver's answers. A delivery itself is an outbox message (channel 'webhook').
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull()) // may hold a secret (Teams, Slack): shown to administrators only
    .addColumn('format', 'text', (c) => c.notNull()) // teams | slack | json
    .addColumn('events', 'text', (c) => c.notNull()) // space-separated event names
    .addColumn('tag', 'text') // only content with this tag; null: all
    .addColumn('secret', 'text', (c) => c.notNull()) // signs 'json' deliveries (Standard Webhooks)
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('webhook_id', 'integer', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('outbox_id', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer') // null: no answer (refused, timed out, unreachable)
    .addColumn('response', 'text') // the start of the answer's body
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('webhook_deliveries_hook_idx').on('webhook_deliveries').columns(['webhook_id', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute()
  await db.schema.dropTable('webhooks').execute()
}
