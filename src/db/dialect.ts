// Which dialect a Kysely instance (or a transaction of it) speaks. Where SQLite and PostgreSQL must
// differ, one small module per concern asks this and keeps both variants side by side.
import { type Kysely, PostgresAdapter } from 'kysely'

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}
