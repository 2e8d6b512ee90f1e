// Opens a PostgreSQL database (DATABASE_URL) through Kysely's PostgresDialect over a `pg` pool.
// Values come back as the SQLite side returns them: 64-bit integers (bigint: counts, ids) and
// numerics as numbers, not strings. Everything else (text, timestamps as ISO text) is unchanged.
import { createRequire } from 'node:module'
import type PgModule from 'pg'
import { Kysely, PostgresDialect, sql } from 'kysely'
import type { DB } from '../schema.js'
import { PostgresDdlPlugin } from './ddl-plugin.js'

// Loaded when PostgreSQL is used: a SQLite site (and each SQLite test process) need not load it.
let loaded: typeof PgModule | undefined
export const loadPg = (): typeof PgModule => (loaded ??= createRequire(import.meta.url)('pg') as typeof PgModule)

const INT8_OID = 20
const NUMERIC_OID = 1700

function toNumber(value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) && Number.isInteger(n)) throw new Error(`integer ${value} is too large for JavaScript`)
  return n
}

// Per pool, not pg's global parsers: nothing else in the process is affected.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return toNumber
    return loadPg().types.getTypeParser(oid, format as 'text')
  }) as typeof PgModule.types.getTypeParser,
}

export interface PostgresDatabase {
  kind: 'postgres'
  db: Kysely<DB>
  /** DATABASE_URL, for a connection of its own (the change feed's LISTEN, src/coherence). */
  url: string
  close(): Promise<void>
}

/** Connects and checks that the database can be written (a read-only replica is refused at start). */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<PostgresDatabase> {
  const pool = new (loadPg().Pool)({ connectionString: url, max: opts.max ?? 10, types, application_name: 'betablogg' })
  // An idle connection that the server drops must not take the process down.
  pool.on('error', () => {})
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new PostgresDdlPlugin()] })
  try {
    const { rows } = await sql<{ ro: string }>`select current_setting('transaction_read_only') as ro`.execute(db)
    if (rows[0]?.ro === 'on') throw new Error('the server is read-only (a standby?)')
  } catch (err) {
    await db.destroy()
    throw new Error(`The PostgreSQL database in DATABASE_URL cannot be used for writing (${err instanceof Error ? err.message : String(err)}).`)
  }
  return { kind: 'postgres', db, url, close: () => db.destroy() }
}

/** Health: answers, and a write could start (not a read-only standby after a failover). */
export async function checkPostgres(db: Kysely<DB>): Promise<{ database: boolean; writable: boolean }> {
  const { rows } = await sql<{ ro: string }>`select current_setting('transaction_read_only') as ro`.execute(db)
  return { database: rows.length === 1, writable: rows[0]?.ro === 'off' }
}
