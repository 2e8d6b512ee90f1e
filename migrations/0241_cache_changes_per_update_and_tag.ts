import { sql, type Kysely } from 'kysely'
import { isPostgres } from './dialect.js'

// An update's change names the update itself ('micro:<id>') and a tagging names its tag ('tag:<id>'),
// besides 'micro' as before (0190, 0211). A tag archive shows a few updates of one tag: with only
// 'micro' it was thrown away by every new update, like and edit anywhere, several times a second on
// a busy day. Now it names the updates it shows and its tag, and keeps through the rest. An update
// hidden, restored or deleted names its tags too: restored, it belongs on archives that did not show it.
const TABLES = [
  { table: 'micro_posts', scopes: (row: string) => [`'micro'`, `'micro:' || ${row}.id`], pg: [`'micro'`, `'micro:id'`] },
  { table: 'micro_tags', scopes: (row: string) => [`'micro'`, `'tag:' || ${row}.tag_id`], pg: [`'micro'`, `'tag:tag_id'`] },
]

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await replace(db, t.table, t.scopes, t.pg)
  if (isPostgres(db)) {
    await sql`create function cache_notify_micro_tags() returns trigger language plpgsql as $$
      begin
        perform pg_notify('cache_changes', 'tag:' || t.tag_id) from micro_tags t where t.micro_id = new.id;
        return null;
      end $$`.execute(db)
    await sql`create trigger cache_micro_posts_tags after update of hidden_at, deleted_at on micro_posts
      for each row execute function cache_notify_micro_tags()`.execute(db)
  } else {
    await sql`create trigger cache_micro_posts_tags after update of hidden_at, deleted_at on micro_posts begin
      insert into cache_changes (scope) select 'tag:' || tag_id from micro_tags where micro_id = new.id; end`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger if exists cache_micro_posts_tags on micro_posts`.execute(db)
    await sql`drop function if exists cache_notify_micro_tags()`.execute(db)
  } else {
    await sql`drop trigger if exists cache_micro_posts_tags`.execute(db)
  }
  for (const t of TABLES) await replace(db, t.table, () => [`'micro'`], [`'micro'`])
}

async function replace(db: Kysely<any>, table: string, scopes: (row: string) => string[], pgArgs: string[]): Promise<void> {
  if (isPostgres(db)) {
    await sql.raw(`drop trigger if exists cache_${table} on ${table}`).execute(db)
    await sql.raw(`create trigger cache_${table} after insert or update or delete on ${table} for each row execute function cache_notify(${pgArgs.join(', ')})`).execute(db)
    return
  }
  for (const [op, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
    await sql.raw(`drop trigger if exists cache_${table}_${op}`).execute(db)
    const values = scopes(row).map((s) => `(${s})`).join(', ')
    await sql.raw(`create trigger cache_${table}_${op} after ${op} on ${table} begin insert into cache_changes (scope) values ${values}; end`).execute(db)
  }
}
