// Opens the embedded SQLite database. Everything else talks to it through Kysely.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, sql } from 'kysely'
import type { DB } from './schema.js'
import { ImmediateSqliteDialect } from './sqlite-dialect.js'
import { allowDirectReads } from './direct-read.js'
import { alignSideFileModes, cannotWrite } from './writable.js'
import type { PostgresDatabase } from './postgres/open.js'

/** SQLite (the embedded default) or PostgreSQL (DATABASE_URL: src/db/postgres/). */
export type Database = SqliteDatabase | PostgresDatabase

export interface SqliteDatabase {
  kind: 'sqlite'
  db: Kysely<DB>
  /** The raw handle, for SQLite-only work kept in src/db (online backup, health). */
  sqlite: SQLite.Database
  close(): Promise<void>
  /** Runs `fn` once the database is closed (a descriptor of its files must not be closed before). */
  whenClosed(fn: () => void): void
}

export function openDatabase(file: string): SqliteDatabase {
  let sqlite: SQLite.Database
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    alignSideFileModes(file)
    sqlite = new SQLite(file)
    // SQLite waits this long inside each attempt; src/db/sqlite-dialect.ts retries beyond it without
    // blocking the event loop for longer.
    sqlite.pragma('busy_timeout = 1000')
    sqlite.pragma('journal_mode = WAL')
    // FULL, not NORMAL: a write the user was told is saved must survive a power loss too.
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    // temp_store stays FILE (the default): in memory, an index build, a large UPDATE's statement
    // journal, the statistics' GROUP BY or a plain VACUUM would hold everything in RAM (bench/README.md).
    // A read-only directory or file opens fine and fails at the first login: find out now.
    probeWriteSync(sqlite)
  } catch (err) {
    throw cannotWrite(file, err)
  }
  const cached = withStatementCache(sqlite)
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(cached, sqlite) })
  allowDirectReads(db, sqlite, cached.prepare)
  const afterClose: (() => void)[] = []
  return {
    kind: 'sqlite',
    db,
    sqlite,
    // Kysely's destroy closes the better-sqlite3 handle too.
    async close() {
      await db.destroy()
      for (const fn of afterClose.splice(0)) fn()
    },
    whenClosed: (fn) => void afterClose.push(fn),
  }
}

/**
 * A second, read-only connection to the same file, for work done off the main thread (search
 * workers, src/search/workers). WAL lets it read beside the server's connection; it sees every
 * commit made before each of its statements begins.
 */
export function openReadOnlyDatabase(file: string): { db: Kysely<DB>; close(): Promise<void> } {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  sqlite.pragma('busy_timeout = 1000')
  const cached = withStatementCache(sqlite)
  const db = new Kysely<DB>({ dialect: new ImmediateSqliteDialect(cached, sqlite) })
  allowDirectReads(db, sqlite, cached.prepare)
  return { db, close: () => db.destroy() }
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

// BEGIN IMMEDIATE alone succeeds on a read-only database file: the probe also changes a page (the
// header's user_version, set to the value it has) and then rolls back, so nothing is written.
function probeWriteSync(sqlite: SQLite.Database): void {
  const version = Number(sqlite.pragma('user_version', { simple: true }))
  sqlite.exec('BEGIN IMMEDIATE')
  try {
    sqlite.exec(`PRAGMA user_version = ${version}`)
  } finally {
    sqlite.exec('ROLLBACK')
  }
}

/** Throws unless a write could be made now (see probeWriteSync); on Kysely's one connection, so it never lands in another transaction. */
export async function probeWrite(db: Kysely<DB>): Promise<void> {
  await db.connection().execute(async (conn) => {
    const version = Number((await sql<{ user_version: number }>`pragma user_version`.execute(conn)).rows[0]?.user_version ?? 0)
    await sql`begin immediate`.execute(conn)
    try {
      await sql.raw(`pragma user_version = ${version}`).execute(conn)
    } finally {
      await sql`rollback`.execute(conn)
    }
  })
}

/** Whether the database's file system has room for a write (a full disk reads fine and fails every write). */
export async function hasRoomToWrite(file: string, minimumBytes = 1024 * 1024): Promise<boolean> {
  const s = await fs.promises.statfs(path.dirname(file))
  return s.bavail * s.bsize >= minimumBytes
}

/** SQLite's online backup API: a consistent copy while the server keeps writing. */
export async function backupDatabase(sqlite: SQLite.Database, destination: string): Promise<void> {
  await sqlite.backup(destination)
}

/** A consistent copy of the database in a new file, taken through any Kysely handle (VACUUM INTO). */
export async function copyDatabaseTo(db: Kysely<DB>, destination: string): Promise<void> {
  await sql`VACUUM INTO ${destination}`.execute(db)
}
