import { type Kysely, sql } from 'kysely'

// The outbox: every outgoing message (e-mail now, webhooks later) is a row written in the same
// transaction as the event that causes it, and sent afterwards by a worker. idempotency_key is
// unique: the same event for the same recipient is queued, and so sent, at most once. A claimed row
// carries a lease (lease_until): if the sending process dies, the row is claimed again when it ends.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('channel', 'text', (c) => c.notNull()) // 'email' | 'webhook' …
    .addColumn('kind', 'text', (c) => c.notNull()) // what the message is, e.g. 'notification', 'invitation'
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('recipient', 'text', (c) => c.notNull()) // e.g. 'user:12' or a URL; shown to administrators
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}')) // JSON, what the sender needs
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | sending | sent | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('claim_token', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute()
  // The worker's claim: rows not yet done, by when they are due. Sent rows stay out of the index.
  await db.schema
    .createIndex('outbox_due_idx')
    .on('outbox')
    .columns(['status', 'next_attempt_at'])
    .where(sql<boolean>`status in ('pending', 'sending')`)
    .execute()
  await db.schema.createIndex('outbox_list_idx').on('outbox').columns(['status', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').execute()
}
