import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.js'

// A person's feed key shows only on their own pages (src/feeds/links.ts fills it in per request), so
// its change is a change to that person's pages ('feed-keys:<user id>'), not to every kept page:
// before, the first feed key anyone got dropped every page kept for everyone (migrations 0190, 0211).
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists cache_feed_keys on feed_keys`.execute(db)
    await sql`create trigger cache_feed_keys after insert or update or delete on feed_keys for each row execute function cache_notify('feed-keys:user_id')`.execute(db)
    return
  }
  for (const [op, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
    await sql.raw(`drop trigger if exists cache_feed_keys_${op}`).execute(db)
    await sql.raw(`create trigger cache_feed_keys_${op} after ${op} on feed_keys begin
      insert into cache_changes (scope) values ('feed-keys:' || ${row}.user_id); end`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists cache_feed_keys on feed_keys`.execute(db)
    await sql`create trigger cache_feed_keys after insert or update or delete on feed_keys for each row execute function cache_notify('feed-keys')`.execute(db)
    return
  }
  for (const op of ['insert', 'update', 'delete']) {
    await sql.raw(`drop trigger if exists cache_feed_keys_${op}`).execute(db)
    await sql.raw(`create trigger cache_feed_keys_${op} after ${op} on feed_keys begin insert into cache_changes (scope) values ('feed-keys'); end`).execute(db)
  }
}
