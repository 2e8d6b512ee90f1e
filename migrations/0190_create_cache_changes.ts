import { sql, SqliteAdapter, type Kysely } from 'kysely'

// The log of changes that cached pages depend on (src/coherence). Every write to what readers see,
// by any process (an app instance, a job, the CLI), adds a row naming its scope in the same
// transaction; each process reads the rows added since it last looked and drops the pages of those
// scopes. On SQLite, triggers write the rows; the PostgreSQL dialect adds its own (plus NOTIFY).
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter
  await db.schema
    .createTable('cache_changes')
    .addColumn('seq', sqlite ? 'integer' : 'bigserial', (c) => c.primaryKey())
    .addColumn('scope', 'text', (c) => c.notNull())
    .execute()
  if (!sqlite) return
  for (const [table, scopes] of TRIGGERS) {
    for (const op of ['insert', 'update', 'delete'] as const) {
      if (table === 'posts' && op === 'update') continue // below
      const values = scopes(op === 'delete' ? 'old' : 'new').map((s) => `(${s})`).join(', ')
      await sql.raw(`create trigger cache_${table}_${op} after ${op} on ${table} begin insert into cache_changes (scope) values ${values}; end`).execute(db)
    }
  }
  // A post's comment count changes with every comment, which the comments trigger names (scope
  // comments): a statement that changes only the count must not drop every list of posts.
  await sql.raw(`create trigger cache_posts_update after update on posts when old.comment_count is new.comment_count begin
    insert into cache_changes (scope) values (case when old.status = 'published' or new.status = 'published' then 'posts' else 'drafts' end), ('post:' || new.id); end`).execute(db)
  await sql.raw(`create trigger cache_posts_count_update after update on posts when old.comment_count is not new.comment_count begin
    insert into cache_changes (scope) values ('comments'), ('post:' || new.id); end`).execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table] of TRIGGERS) for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists cache_${table}_${op}`).execute(db)
  await sql.raw('drop trigger if exists cache_posts_count_update').execute(db)
  await db.schema.dropTable('cache_changes').execute()
}

type Scopes = (row: 'new' | 'old') => string[]
const fixed = (...names: string[]): Scopes => () => names.map((n) => `'${n}'`)
const own = (name: string, column: string): Scopes => (row) => [`'${name}:' || ${row}.${column}`]

// Table and the scopes a change to one of its rows touches. A post that is
// not published (a draft, a submission) touches only its own pages and the lists of its author and
// the editors; a published one every list.
const TRIGGERS: [string, Scopes][] = [
  ['users', fixed('users')],
  ['settings', fixed('settings')],
  ['uploads', fixed('uploads')],
  ['posts', (row) => [`case when ${row}.status = 'published' then 'posts' else 'drafts' end`, `'post:' || ${row}.id`]],
  ['post_slugs', fixed('posts')],
  ['post_revisions', (row) => ["'drafts'", `'post:' || ${row}.post_id`]],
  ['tags', fixed('posts')],
  ['post_tags', fixed('posts')],
  ['comments', (row) => ["'comments'", `'post:' || ${row}.post_id`]],
  ['micro_posts', fixed('micro')],
  ['micro_likes', fixed('micro')],
  ['micro_tags', fixed('micro')],
  ['guideline_versions', fixed('guidelines')],
  ['guideline_acceptances', own('guidelines', 'user_id')],
  ['notifications', own('notifications', 'user_id')],
  ['notification_optouts', own('notifications', 'user_id')],
  ['user_follows', own('follows', 'follower_id')],
  ['tag_follows', own('follows', 'user_id')],
  ['bookmarks', own('follows', 'user_id')],
  ['feed_keys', fixed('feed-keys')],
  ['moderation_items', fixed('moderation')],
  ['reports', fixed('moderation')],
  ['invitations', fixed('admin')],
  ['sso_identities', fixed('admin')],
  ['mail_preferences', fixed('admin')],
  ['webhooks', fixed('admin')],
  ['retention_rules', fixed('admin')],
  ['wordpress_map', fixed('admin')],
  ['audit_redactions', fixed('admin')],
]
