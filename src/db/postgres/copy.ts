// `db copy --to postgres://…`: moves a SQLite site into an empty PostgreSQL database. The target is
// migrated by the same migrations, then every table is copied in one PostgreSQL transaction (nothing
// is left half-copied), in batches and in an order that satisfies the foreign keys, reading one
// consistent SQLite snapshot. Ids are kept; the identity sequences are moved past them. The search
// index is not copied: the target's triggers queue every copied document and it is rebuilt.
import type SQLite from 'better-sqlite3'
import { type Kysely, sql } from 'kysely'
import type { DB } from '../schema.js'
import { migrateToLatest } from '../migrate.js'

/** Tables that are not data: the migrator's own, SQLite's, and the search index (rebuilt) and its log. */
const SKIPPED = /^(sqlite_|kysely_migration|search_index|search_pending|search_changes)/
const MAX_PARAMETERS = 30_000

export interface TableCount { table: string; source: number; target: number }

export class TargetNotEmptyError extends Error {}

/** Tables of the SQLite database, parents before children (by their foreign keys). */
export function tablesInCopyOrder(sqlite: SQLite.Database): string[] {
  const tables = (sqlite.prepare(`select name from sqlite_master where type = 'table' order by name`).all() as { name: string }[])
    .map((r) => r.name).filter((n) => !SKIPPED.test(n))
  const parents = new Map(tables.map((t) => [t, (sqlite.prepare(`select "table" from pragma_foreign_key_list(?)`).all(t) as { table: string }[])
    .map((r) => r.table).filter((p) => p !== t && tables.includes(p))]))
  const ordered: string[] = []
  const visit = (t: string, path: string[]) => {
    if (ordered.includes(t)) return
    if (path.includes(t)) throw new Error(`foreign keys form a cycle: ${[...path, t].join(' → ')}`)
    for (const p of parents.get(t) ?? []) visit(p, [...path, t])
    ordered.push(t)
  }
  for (const t of tables) visit(t, [])
  return ordered
}

/** Tables of ours in the target that already hold rows. */
async function nonEmptyTables(target: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`.execute(target)
  const full: string[] = []
  for (const { name } of rows) {
    if (SKIPPED.test(name)) continue
    const { rows: any } = await sql`select 1 from ${sql.table(name)} limit 1`.execute(target)
    if (any.length) full.push(name)
  }
  return full
}

export async function copySqliteToPostgres(
  sqlite: SQLite.Database, target: Kysely<DB>, progress: (line: string) => void = () => {},
): Promise<TableCount[]> {
  const occupied = await nonEmptyTables(target)
  if (occupied.length) throw new TargetNotEmptyError(`the target database is not empty (rows in ${occupied.slice(0, 5).join(', ')}${occupied.length > 5 ? ', …' : ''}); copy into a new, empty database`)
  await migrateToLatest(target)
  const tables = tablesInCopyOrder(sqlite)
  const counts: TableCount[] = []
  sqlite.exec('begin') // one snapshot of the source, even while the server writes (WAL)
  try {
    await target.transaction().execute(async (trx) => {
      for (const table of tables) {
        const columns = (sqlite.prepare(`select name from pragma_table_info(?) order by cid`).all(table) as { name: string }[]).map((c) => c.name)
        const batch = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMETERS / columns.length)))
        const read = sqlite.prepare(`select rowid as "__rowid", * from "${table.replace(/"/g, '""')}" where rowid > ? order by rowid limit ?`)
        let after = -Infinity
        let copied = 0
        for (;;) {
          const rows = read.all(after === -Infinity ? Number.MIN_SAFE_INTEGER : after, batch) as Record<string, unknown>[]
          if (!rows.length) break
          after = rows[rows.length - 1]!.__rowid as number
          const values = rows.map((r) => sql`(${sql.join(columns.map((c) => r[c]))})`)
          await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(trx)
          copied += rows.length
        }
        progress(`${table}: ${copied}`)
      }
      await resetIdentities(trx)
    })
  } finally {
    sqlite.exec('rollback')
  }
  for (const table of tables) {
    const source = (sqlite.prepare(`select count(*) as n from "${table.replace(/"/g, '""')}"`).get() as { n: number }).n
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(target)
    counts.push({ table, source, target: rows[0]!.n })
  }
  return counts
}

/** Every identity column continues after the highest copied id. */
async function resetIdentities(db: Kysely<DB>): Promise<void> {
  const { rows } = await sql<{ table: string; column: string }>`
    select table_name as "table", column_name as "column" from information_schema.columns
    where table_schema = current_schema() and is_identity = 'YES'`.execute(db)
  for (const r of rows) {
    await sql`select setval(pg_get_serial_sequence(${r.table}, ${r.column}), coalesce(max(${sql.ref(r.column)}), 0) + 1, false)
      from ${sql.table(r.table)}`.execute(db)
  }
}
