import { sql, SqliteAdapter, type Kysely } from 'kysely'

// A post's owner and review date ("Sist gjennomgått", migration 0160) show on its page: a change to
// them, from any process, must drop the kept copies of that page (src/coherence, migration 0190).
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return
  for (const [op, row] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
    await sql.raw(`create trigger cache_post_stewardship_${op} after ${op} on post_stewardship begin
      insert into cache_changes (scope) values ('post:' || ${row}.post_id); end`).execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return
  for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists cache_post_stewardship_${op}`).execute(db)
}
