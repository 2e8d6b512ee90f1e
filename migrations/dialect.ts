// Migrations are written for SQLite; the few that need a different statement on PostgreSQL ask this.
// (Column types are translated for every migration by src/db/postgres/ddl-plugin.ts.)
import { type Kysely, PostgresAdapter } from 'kysely'

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}
