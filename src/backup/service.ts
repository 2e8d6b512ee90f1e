// Online backup: a consistent copy of the database through SQLite's backup API (safe while the
// server writes) and a copy of the uploads. Everything is written into DATA_DIR/backups/<timestamp>.partial/;
// only when the copy has passed integrity_check and the manifest (files, sizes, SHA-256, schema and app
// version) is written does the folder get its final name. A backup cut short (a full disk, kill -9)
// therefore never looks whole: it is a .partial folder without its final name, which restore refuses.
import { readFileSync } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import type { Config } from '../config.js'
import { backupDatabase, type Database } from '../db/database.js'
import { checkDatabaseCopy, describeFile, listFiles, MANIFEST, MANIFEST_FORMAT, type Manifest } from './manifest.js'

export interface BackupResult { dir: string; databaseFile: string; uploads: number; unfinished: string[] }

export type BackupStep = 'database' | 'uploads' | 'manifest'

const APP_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

export const PARTIAL = '.partial'

export async function createBackup(database: Database, config: Config, now = new Date(),
  opts: { step?: (step: BackupStep) => void } = {}): Promise<BackupResult> {
  if (database.kind !== 'sqlite') throw new Error('On PostgreSQL the database is backed up with the server\'s own tools (pg_dump); back up the uploads directory beside it.')
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const dir = path.join(config.backupsDir, stamp)
  const partial = dir + PARTIAL
  await fs.mkdir(partial, { recursive: true })
  try {
    opts.step?.('database')
    const dbName = path.basename(config.databaseFile)
    const databaseFile = path.join(partial, dbName)
    await backupDatabase(database.sqlite, databaseFile)
    selfContained(databaseFile)
    const check = checkDatabaseCopy(databaseFile)
    if (!check.ok) throw new Error(`the copy of the database failed its integrity check (${check.problem})`)

    opts.step?.('uploads')
    // Upload files are written once under fresh names and never changed, so a plain copy after the
    // database snapshot contains every file the snapshot refers to.
    await fs.cp(config.uploadsDir, path.join(partial, 'uploads'), { recursive: true, errorOnExist: false }).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })

    opts.step?.('manifest')
    const files = []
    for (const rel of await listFiles(partial)) files.push(await describeFile(partial, rel))
    const manifest: Manifest = {
      format: MANIFEST_FORMAT, createdAt: now.toISOString(), appVersion: APP_VERSION, schemaVersion: check.schemaVersion!,
      database: dbName, integrityCheck: 'ok', files,
    }
    await writeDurably(path.join(partial, MANIFEST), JSON.stringify(manifest, null, 2) + '\n')
    await fs.rename(partial, dir)
    await syncDir(config.backupsDir)
    const uploads = files.filter((f) => f.path.startsWith('uploads/')).length
    return { dir, databaseFile: path.join(dir, dbName), uploads, unfinished: await unfinishedBackups(config.backupsDir) }
  } catch (err) {
    await fs.rm(partial, { recursive: true, force: true }).catch(() => undefined)
    throw err
  }
}

/** Folders left by backups that were cut short; they can be deleted. */
export async function unfinishedBackups(backupsDir: string): Promise<string[]> {
  const entries = await fs.readdir(backupsDir, { withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isDirectory() && e.name.endsWith(PARTIAL)).map((e) => path.join(backupsDir, e.name)).sort()
}

/** The copy as one file (no -wal to forget), flushed to disk. */
function selfContained(file: string): void {
  const db = new SQLite(file)
  try {
    db.pragma('journal_mode = DELETE') // checkpoints the copy's WAL into it and removes it
  } finally {
    db.close()
  }
}

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'w')
  try {
    await handle.writeFile(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
