// What every process sees change: a cross-process signal that tells caches which content changed.
//
// Pages, feeds and settings are cached in each process. A change can be made by any process on the
// same database — another app instance, a scheduled job, the CLI — and must show at once in every
// other. Each change to what readers see is logged in the database with its scope (migrations/0190:
// 'posts', 'comments', 'micro', 'users', 'settings', 'post:<id>', 'notifications:<user id>' …) in
// the same transaction as the change. A ChangeFeed follows that log: sync() brings the process's view
// up to date (cheap when nothing changed), and lastChange(scopes) tells whether anything a cached
// value depends on changed after the value was made.
//
// On SQLite (sqlite.ts) the feed asks PRAGMA data_version, which moves when another connection
// commits, and this connection's own count of changes, and reads the new log rows only then. On
// PostgreSQL (postgres.ts) the triggers NOTIFY each scope on commit and the feed listens; catchUp()
// runs before every request, so a request sees every change committed before it began.
import type { FastifyInstance } from 'fastify'
import type { Database } from '../db/database.js'
import { registerJobs } from '../jobs/scheduler.js'
import { sqliteChangeFeed } from './sqlite.js'
import { postgresChangeFeed } from './postgres.js'

/** Any change at all (for caches that do not know what they depend on). */
export const ANY = '*'

export interface ChangeFeed {
  /** Takes in every change committed so far, by any process; returns the newest change's number. */
  sync(): number
  /** The number of the newest change to any of these scopes ('*': to anything) known to the last sync(). */
  lastChange(scopes: readonly string[]): number
  /**
   * Whether the last sync() took in every change committed before it. Not on SQLite while this
   * process's connection is inside a transaction (sync() waits for the commit): what must never be
   * stale (a session that ended) is read from the database then.
   */
  upToDate(): boolean
  /** Forgets log rows older than the newest `keep` (every process has read them long ago). */
  prune(keep?: number): Promise<void>
  /**
   * Resolves once sync() can take in every change committed before the call: on PostgreSQL when
   * they have arrived; on SQLite when this process's transaction in progress has ended. Undefined
   * when nothing need be waited for.
   */
  catchUp?(): Promise<void> | undefined
  close?(): Promise<void>
}

/**
 * sync(), and if a transaction of this process began since the request's catch-up (between its
 * hooks), sync() again once it has ended: a few tries, then the older number (safe: what is made
 * with it is only made again sooner).
 */
export async function syncAfterTransactions(feed: ChangeFeed): Promise<number> {
  let seen = feed.sync()
  for (let tries = 0; tries < 3 && !feed.upToDate(); tries++) {
    await feed.catchUp?.()
    seen = feed.sync()
  }
  return seen
}

export function openChangeFeed(database: Database, onChange?: () => void): ChangeFeed {
  if (database.kind === 'postgres') return postgresChangeFeed(database.url, onChange)
  return sqliteChangeFeed(database.sqlite, database.db, onChange)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The cross-process change signal (src/coherence). */
    changes: ChangeFeed
  }
}

/** app.changes, and a job that keeps the log short. */
export function registerChangeFeed(app: FastifyInstance, feed: ChangeFeed): void {
  app.decorate('changes', feed)
  // First of the request hooks: the page caches' sync() then knows every change committed before the request.
  if (feed.catchUp) {
    const catchUp = feed.catchUp.bind(feed)
    app.addHook('onRequest', (_req, _reply, done) => {
      const waiting = catchUp()
      if (waiting) waiting.then(() => done(), done)
      else done()
    })
  }
  if (feed.close) app.addHook('onClose', async () => feed.close!())
  registerJobs(app, [{ name: 'cache-changes-prune', intervalMs: 10 * 60_000, run: async (a) => a.changes.prune() }])
}
