import { sql, type Kysely } from 'kysely'

// PostgreSQL's part of 0211: the change feed's signal (src/coherence/postgres.ts). The same tables
// and scopes as the SQLite triggers of 0190 and 0191, but instead of a log row each change is a
// NOTIFY on the channel cache_changes with the scope as payload: PostgreSQL delivers it to every
// listening process when (and only if) the transaction commits, in commit order, so no process can
// miss a change by reading a log whose numbers are handed out before commit.
export async function up(db: Kysely<any>): Promise<void> {
  // Arguments: scopes; 'name:column' is name + ':' + the row's column (the row is OLD on delete).
  await sql`create function cache_notify() returns trigger language plpgsql as $$
    declare
      r jsonb := to_jsonb(case when tg_op = 'DELETE' then old else new end);
      a text;
    begin
      foreach a in array tg_argv loop
        perform pg_notify('cache_changes', case when position(':' in a) > 0
          then split_part(a, ':', 1) || ':' || (r ->> split_part(a, ':', 2)) else a end);
      end loop;
      return null;
    end $$`.execute(db)
  // Posts, as 0190: an unpublished post touches the drafts' lists only, and a change to nothing but
  // the comment count is a change to comments (it must not drop every list of posts).
  await sql`create function cache_notify_posts() returns trigger language plpgsql as $$
    declare
      r posts := case when tg_op = 'DELETE' then old else new end;
    begin
      if tg_op = 'UPDATE' and old.comment_count is distinct from new.comment_count then
        perform pg_notify('cache_changes', 'comments');
      elsif (tg_op = 'UPDATE' and old.status = 'published') or r.status = 'published' then
        perform pg_notify('cache_changes', 'posts');
      else
        perform pg_notify('cache_changes', 'drafts');
      end if;
      perform pg_notify('cache_changes', 'post:' || r.id);
      return null;
    end $$`.execute(db)
  await sql`create trigger cache_posts after insert or update or delete on posts for each row execute function cache_notify_posts()`.execute(db)
  for (const [table, scopes] of TRIGGERS) {
    const args = scopes.map((s) => `'${s}'`).join(', ')
    await sql.raw(`create trigger cache_${table} after insert or update or delete on ${table} for each row execute function cache_notify(${args})`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists cache_posts on posts`.execute(db)
  for (const [table] of TRIGGERS) await sql.raw(`drop trigger if exists cache_${table} on ${table}`).execute(db)
  await sql`drop function if exists cache_notify_posts()`.execute(db)
  await sql`drop function if exists cache_notify()`.execute(db)
}

// Table and the scopes a change to one of its rows touches (0190's list, and post_stewardship of 0191).
const TRIGGERS: [string, string[]][] = [
  ['users', ['users']],
  ['settings', ['settings']],
  ['uploads', ['uploads']],
  ['post_slugs', ['posts']],
  ['post_revisions', ['drafts', 'post:post_id']],
  ['tags', ['posts']],
  ['post_tags', ['posts']],
  ['comments', ['comments', 'post:post_id']],
  ['micro_posts', ['micro']],
  ['micro_likes', ['micro']],
  ['micro_tags', ['micro']],
  ['guideline_versions', ['guidelines']],
  ['guideline_acceptances', ['guidelines:user_id']],
  ['notifications', ['notifications:user_id']],
  ['notification_optouts', ['notifications:user_id']],
  ['user_follows', ['follows:follower_id']],
  ['tag_follows', ['follows:user_id']],
  ['bookmarks', ['follows:user_id']],
  ['feed_keys', ['feed-keys']],
  ['moderation_items', ['moderation']],
  ['reports', ['moderation']],
  ['invitations', ['admin']],
  ['sso_identities', ['admin']],
  ['mail_preferences', ['admin']],
  ['webhooks', ['admin']],
  ['retention_rules', ['admin']],
  ['wordpress_map', ['admin']],
  ['audit_redactions', ['admin']],
  ['post_stewardship', ['post:post_id']],
]
