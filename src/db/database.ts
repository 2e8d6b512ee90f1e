// Opens the embedded SQLite database. Everything else talks to it through Kysely.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { DB } from './schema.js'

export interface Database {
  db: Kysely<DB>
  /** The raw handle, for SQLite-only work kept in src/db (online backup, health). */
  sqlite: SQLite.Database
  close(): Promise<void>
}

export function openDatabase(file: string): Database {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  // FULL, not NORMAL: a write the user was told is saved must survive a power loss too.
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    db,
    sqlite,
    // Kysely's destroy closes the better-sqlite3 handle too.
    close: () => db.destroy(),
  }
}

/** A cheap round trip used by /healthz. */
export function pingDatabase(sqlite: SQLite.Database): boolean {
  return sqlite.prepare('select 1 as ok').get() !== undefined
}

/** SQLite's online backup API: a consistent copy while the server keeps writing. */
export async function backupDatabase(sqlite: SQLite.Database, destination: string): Promise<void> {
  await sqlite.backup(destination)
}
