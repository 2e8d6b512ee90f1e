import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.js'

// Sessions are kept in memory between requests (src/auth/kept-sessions.ts): a session that ends
// (logout, "log out everywhere", back-channel logout, the expiry job) or changes other than being
// touched must be read again in every process ('sessions:<user id>'). Touching last_seen_at, once a
// minute per person, logs nothing.
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    // Its own function: an update names the person before and after (cache_notify names one row).
    await sql`create function cache_notify_sessions() returns trigger language plpgsql as $$
      begin
        perform pg_notify('cache_changes', 'sessions:' || old.user_id);
        if tg_op = 'UPDATE' and new.user_id is distinct from old.user_id then
          perform pg_notify('cache_changes', 'sessions:' || new.user_id);
        end if;
        return null;
      end $$`.execute(db)
    await sql`create trigger cache_sessions after delete or update of id, user_id, expires_at on sessions for each row execute function cache_notify_sessions()`.execute(db)
    return
  }
  await sql`create trigger cache_sessions_delete after delete on sessions begin
    insert into cache_changes (scope) values ('sessions:' || old.user_id); end`.execute(db)
  await sql`create trigger cache_sessions_update after update of id, user_id, expires_at on sessions begin
    insert into cache_changes (scope) values ('sessions:' || old.user_id), ('sessions:' || new.user_id); end`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists cache_sessions on sessions`.execute(db)
    await sql`drop function if exists cache_notify_sessions()`.execute(db)
    return
  }
  await sql`drop trigger if exists cache_sessions_delete`.execute(db)
  await sql`drop trigger if exists cache_sessions_update`.execute(db)
}
