// Opens the embedded SQLite database. Everything else talks to it through Kysely.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './schema.js'
import type { PostgresDatabase } from './postgres/open.js'

/** SQLite (the embedded default) or PostgreSQL (DATABASE_URL: src/db/postgres/). */
export type Database = SqliteDatabase | PostgresDatabase

export interface SqliteDatabase {
  kind: 'sqlite'
  db: Kysely<DB>
  /** The raw handle, for SQLite-only work kept in src/db (online backup, health). */
  sqlite: SQLite.Database
  close(): Promise<void>
}

export function openDatabase(file: string): SqliteDatabase {
  let sqlite: SQLite.Database
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    sqlite = new SQLite(file)
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('journal_mode = WAL')
    // FULL, not NORMAL: a write the user was told is saved must survive a power loss too.
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    // A read-only directory or file opens fine and fails at the first login: find out now.
    sqlite.exec('BEGIN IMMEDIATE; ROLLBACK')
  } catch (err) {
    throw new Error(
      `The database ${file} cannot be opened for writing (${err instanceof Error ? err.message : String(err)}). ` +
        'Check that DATA_DIR, the database and its -wal and -shm files are writable by this user and that the disk is not full.',
    )
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  return {
    kind: 'sqlite',
    db,
    sqlite,
    // Kysely's destroy closes the better-sqlite3 handle too.
    close: () => db.destroy(),
  }
}

const STATEMENT_CACHE_SIZE = 500

/**
 * Kysely's SQLite driver prepares every statement on every query; preparing costs as much as running
 * a small indexed query. This hands Kysely a view of the database whose prepare() reuses statements
 * by their SQL text (a bounded LRU). A statement still busy (an open iterator) is never handed out
 * twice: a fresh one is prepared instead.
 */
function withStatementCache(sqlite: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>()
  const prepare = (sql: string): SQLite.Statement => {
    let stmt = cache.get(sql)
    if (stmt && !stmt.busy) {
      cache.delete(sql)
      cache.set(sql, stmt) // most recently used last
      return stmt
    }
    stmt = sqlite.prepare(sql)
    cache.set(sql, stmt)
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!)
    return stmt
  }
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return prepare
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** A cheap round trip used by /healthz. */
export function pingDatabase(sqlite: SQLite.Database): boolean {
  return sqlite.prepare('select 1 as ok').get() !== undefined
}

/** SQLite's online backup API: a consistent copy while the server keeps writing. */
export async function backupDatabase(sqlite: SQLite.Database, destination: string): Promise<void> {
  await sqlite.backup(destination)
}
