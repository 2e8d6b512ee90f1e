// Reads compiled in advance (the queries of compiled.ts, search's FTS5 statements through
// readCompiled) run straight on the SQLite handle when nothing else holds it. Kysely passes every
// query through its executor and its connection's mutex: a chain of promises and a few objects for
// each, a quarter of the CPU of a post page from a shared body (bench/README.md, fifteenth run). A
// read needs none of that while no transaction is open: better-sqlite3 runs it to its end before any
// other JavaScript, so it cannot land inside another statement, and it changes nothing a statement
// after it could see. Inside a transaction (which holds the connection across awaits) and for
// anything but a read-only statement, the query goes through Kysely as before. Order is kept between
// awaited calls only: a read no longer queues behind a write begun and not yet awaited.
import type SQLite from 'better-sqlite3'
import type { CompiledQuery, Kysely } from 'kysely'
import { isBusy } from './sqlite-dialect.js'

type Reader = (sql: string, parameters: readonly unknown[], firstColumn: boolean) => unknown[] | undefined

const readers = new WeakMap<Kysely<unknown>, Reader>()

/** Lets compiled reads on `db` use `sqlite` directly, statements prepared by `prepare` (the statement cache). */
export function allowDirectReads(db: Kysely<any>, sqlite: SQLite.Database, prepare: (sql: string) => SQLite.Statement): void {
  readers.set(db, (sql, parameters, firstColumn) => {
    if (sqlite.inTransaction) return undefined
    const stmt = prepare(sql)
    // readonly, not reader alone: an insert … returning reads rows too.
    if (!stmt.readonly || !stmt.reader) return undefined
    try {
      // The statement is shared (the cache's): set back before anything else can run it.
      if (firstColumn) return stmt.pluck(true).all(parameters)
      return rowsOf(stmt, stmt.raw(true).all(parameters) as unknown[][])
    } catch (err) {
      if (isBusy(err)) return undefined // Kysely's way retries while another process holds the lock
      throw err
    } finally {
      // raw(false) leaves pluck mode on, and pluck(false) raw mode: each its own.
      if (firstColumn) stmt.pluck(false)
      else stmt.raw(false)
    }
  })
}

const columnNames = new WeakMap<SQLite.Statement, string[]>()

/**
 * Rows as objects, from better-sqlite3's arrays: made here in one loop of the same order each time
 * (one shape for V8), they cost about a quarter less than better-sqlite3's own (one's 31
 * notifications with 13 columns: 0.17 → 0.13 ms). A name twice keeps its last value, as before.
 */
function rowsOf(stmt: SQLite.Statement, arrays: unknown[][]): Record<string, unknown>[] {
  let names = columnNames.get(stmt)
  // Read again when the count moved: SQLite prepares a `select *` again after another process
  // added or dropped a column.
  if (!names || (arrays.length && arrays[0]!.length !== names.length)) columnNames.set(stmt, (names = stmt.columns().map((c) => c.name)))
  const rows = new Array<Record<string, unknown>>(arrays.length)
  for (let r = 0; r < arrays.length; r++) {
    const values = arrays[r]!
    const row: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]
    rows[r] = row
  }
  return rows
}

/** The rows, or undefined when the query must go through Kysely (PostgreSQL, a transaction, a write). */
export function readDirectly(db: Kysely<any>, sql: string, parameters: readonly unknown[], firstColumn = false): unknown[] | undefined {
  return readers.get(db)?.(sql, parameters, firstColumn)
}

/** A compiled read's rows: straight from SQLite when it may be, else through Kysely. */
export async function readCompiled<R>(db: Kysely<any>, query: CompiledQuery<R>): Promise<R[]> {
  return (readDirectly(db, query.sql, query.parameters) as R[] | undefined) ?? (await db.executeQuery<R>(query)).rows
}

/**
 * A compiled read's first column, a value per row: a search's thousand rowids come as numbers, not a
 * thousand objects of one property (making those was more than half of such a statement's time).
 */
export async function readCompiledColumn<V>(db: Kysely<any>, query: CompiledQuery<Record<string, V>>): Promise<V[]> {
  const direct = readDirectly(db, query.sql, query.parameters, true) as V[] | undefined
  return direct ?? (await db.executeQuery(query)).rows.map((row) => Object.values(row)[0] as V)
}
