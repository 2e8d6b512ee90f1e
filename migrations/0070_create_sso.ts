import type { Kysely } from 'kysely'

// Single sign-on (OpenID Connect): which provider identity belongs to which account, logins under
// way (state, nonce and PKCE verifier, single use), and which local session came from which
// provider session (for back-channel logout).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_identities')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sso_identities_issuer_subject', ['issuer', 'subject'])
    .execute()
  await db.schema.createIndex('sso_identities_user').on('sso_identities').column('user_id').execute()

  await db.schema
    .createTable('sso_pending')
    .addColumn('id', 'text', (c) => c.primaryKey()) // hash of the browser's cookie
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('next_path', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('sso_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sid', 'text')
    .execute()
  await db.schema.createIndex('sso_sessions_sid').on('sso_sessions').columns(['issuer', 'sid']).execute()
  await db.schema.createIndex('sso_sessions_subject').on('sso_sessions').columns(['issuer', 'subject']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sso_sessions').execute()
  await db.schema.dropTable('sso_pending').execute()
  await db.schema.dropTable('sso_identities').execute()
}
