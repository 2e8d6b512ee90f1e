// One server per database. Two servers on one SQLite file each run the scheduled jobs and the outbox
// and keep caches the other does not invalidate; the command line, though, may work beside the server.
// The lock is an exclusive lock on a file beside the database (SQLite's own POSIX file lock on an empty
// lock database): the kernel drops it when the process ends in any way, kill -9 included, so there is
// no stale pid file to clean up.
import fs from 'node:fs'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { cannotWrite } from './writable.js'

export class ServerAlreadyRunning extends Error {
  override readonly name = 'ServerAlreadyRunning'
}

export interface ServerLock {
  release(): void
}

export function serverLockFile(databaseFile: string): string {
  return `${databaseFile}.server-lock`
}

/** Takes the lock or throws: ServerAlreadyRunning when another process holds it. */
export function lockDatabase(databaseFile: string): ServerLock {
  const file = serverLockFile(databaseFile)
  let handle: SQLite.Database
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    handle = new SQLite(file, { timeout: 0 })
  } catch (err) {
    throw cannotWrite(databaseFile, err)
  }
  try {
    handle.exec('BEGIN EXCLUSIVE') // held, never committed, until release() or the end of the process
  } catch (err) {
    handle.close()
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new ServerAlreadyRunning(
        `Another Betablogg server is already running on the database ${databaseFile} (its lock ${file} is held). ` +
          'Only one server may use a DATA_DIR at a time: stop the other one first. ' +
          'The command line (npm run cli) works while the server runs.',
      )
    }
    throw cannotWrite(databaseFile, err)
  }
  return {
    release() {
      if (handle.open) handle.close() // closing ends the transaction and drops the lock
    },
  }
}
