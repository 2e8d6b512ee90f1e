import type { Kysely } from 'kysely'

// E-mail: how each person wants each kind of notification delivered (absent: the default), when
// their last digests were cut, and password-reset links (stored as hashes, single use, expiring).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mail_preferences')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // a notification kind, or 'weekly'
    .addColumn('mode', 'text', (c) => c.notNull()) // 'site' | 'email' | 'digest' (kinds); 'email' | 'off' (weekly)
    .addPrimaryKeyConstraint('mail_preferences_pk', ['user_id', 'kind'])
    .execute()

  await db.schema
    .createTable('mail_digests')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // 'daily' | 'weekly'
    .addColumn('last_until', 'text', (c) => c.notNull()) // the end of the window the last digest covered
    .addPrimaryKeyConstraint('mail_digests_pk', ['user_id', 'kind'])
    .execute()

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('password_resets_user_idx').on('password_resets').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('password_resets').execute()
  await db.schema.dropTable('mail_digests').execute()
  await db.schema.dropTable('mail_preferences').execute()
}
