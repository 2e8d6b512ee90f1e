// One server per database. Two servers on one SQLite file each run the scheduled jobs and the outbox
// and keep caches the other does not invalidate; the command line, though, may work beside the server.
// The lock is an exclusive lock on a file beside the database (SQLite's own POSIX file lock on an empty
// lock database): the kernel drops it when the process ends in any way, kill -9 included, so there is
// no stale pid file to clean up.
//
// SQLITE_INSTANCES=shared: several servers on one machine share the database (a shared lock, SQLite's
// SHARED lock held by an open read transaction). What made two servers unsafe is safe across processes
// now: a job's run is claimed through its lease row (src/jobs), the outbox claims each message in one
// UPDATE (src/outbox), every write transaction begins IMMEDIATE (src/db/sqlite-dialect.ts), and page
// caches follow PRAGMA data_version (src/coherence/sqlite.ts). Shared servers still keep out a server
// that wants the database alone and a restore (both take the lock exclusively), and are kept out by them.
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

/**
 * Takes the lock or throws: ServerAlreadyRunning when another process holds it. `shared`: beside
 * other shared holders (servers with SQLITE_INSTANCES=shared), never beside an exclusive one.
 */
export function lockDatabase(databaseFile: string, opts: { shared?: boolean } = {}): ServerLock {
  const file = serverLockFile(databaseFile)
  let handle: SQLite.Database
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    handle = new SQLite(file, { timeout: 0 })
  } catch (err) {
    throw cannotWrite(databaseFile, err)
  }
  try {
    if (opts.shared) {
      handle.exec('BEGIN') // a read keeps the SHARED lock until release() or the end of the process
      handle.prepare('select count(*) from sqlite_master').get()
    } else handle.exec('BEGIN EXCLUSIVE') // held, never committed, until release() or the end of the process
  } catch (err) {
    handle.close()
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      if (opts.shared) {
        throw new ServerAlreadyRunning(
          `A Betablogg server that uses the database ${databaseFile} alone is running, or a restore (its lock ${file} is held). ` +
            'Every server on one DATA_DIR needs SQLITE_INSTANCES=shared: stop it first.',
        )
      }
      throw new ServerAlreadyRunning(
        `Another Betablogg server is already running on the database ${databaseFile} (its lock ${file} is held). ` +
          'Only one server may use a DATA_DIR at a time (several on one machine: SQLITE_INSTANCES=shared on every one): stop the other one first. ' +
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
