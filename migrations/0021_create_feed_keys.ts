import type { Kysely } from 'kysely'

// Personal feed keys: in internal mode a feed reader cannot log in, so feed URLs carry ?key=…
// The key itself is never stored: it is an HMAC of the user id and `nonce` under the server secret
// (shown again on the settings page), and key_hash (SHA-256 of the key) finds the user on a request.
// Renewing the key replaces the nonce, so every old URL stops working.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feed_keys')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feed_keys').execute()
}
