// Online backup: a consistent copy of the database through SQLite's backup API (safe while the
// server writes) and a copy of the uploads, into DATA_DIR/backups/<timestamp>/.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import { backupDatabase, type Database } from '../db/database.js'

export interface BackupResult { dir: string; databaseFile: string; uploads: number }

export async function createBackup(database: Database, config: Config, now = new Date()): Promise<BackupResult> {
  if (database.kind !== 'sqlite') throw new Error('On PostgreSQL the database is backed up with the server\'s own tools (pg_dump); back up the uploads directory beside it.')
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const dir = path.join(config.backupsDir, stamp)
  await fs.mkdir(dir, { recursive: true })
  const databaseFile = path.join(dir, path.basename(config.databaseFile))
  await backupDatabase(database.sqlite, databaseFile)
  let uploads = 0
  try {
    // Upload files are written once under fresh names and never changed, so a plain copy after the
    // database snapshot contains every file the snapshot refers to.
    await fs.cp(config.uploadsDir, path.join(dir, 'uploads'), { recursive: true, errorOnExist: false })
    uploads = await countFiles(path.join(dir, 'uploads'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ createdAt: now.toISOString(), database: path.basename(databaseFile), uploads }, null, 2))
  return { dir, databaseFile, uploads }
}

async function countFiles(dir: string): Promise<number> {
  let n = 0
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) n++
  return n
}
