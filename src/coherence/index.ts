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
// On SQLite (sqlite.ts) the feed looks at the WAL-index header, which every commit by any connection
// changes, and reads the new log rows only then. On PostgreSQL (postgres.ts) the triggers NOTIFY each
// scope on commit and the feed listens; catchUp() runs before every request, so a request sees every
// change committed before it began.
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
   * The newest change known: while it stays the same, lastChange() answers every question as before
   * (kept pages skip their scope look-up on it, pageIsCurrent). So every feed moves it with every
   * change to what lastChange() reads: a scope's number, the floor, a reset.
   */
  newest(): number
  /**
   * Whether the last sync() took in every change committed before it. Not on SQLite while this
   * process's connection is inside a transaction (sync() waits for the commit): what must never be
   * stale (a session that ended) is read from the database then.
   */
  upToDate(): boolean
  /** Forgets log rows older than the newest `keep` (every process has read them long ago). */
  prune(keep?: number): Promise<void>
  /** Where changes arrive by themselves (PostgreSQL): resolves once every change committed before the call has arrived. */
  catchUp?(): Promise<void>
  /** Where sync() skips while this process holds a transaction (SQLite): resolves once it has ended. */
  transactionEnded?(): Promise<void>
  close?(): Promise<void>
}

/**
 * sync(), after any transaction of this process has ended (a job's, say): a page made with an older
 * number would be kept as older than it is and made again on the next request. A few tries (another
 * may begin in between), then the older number, which is safe.
 */
/**
 * Whether anything in `scopes` changed after change `made`. Nothing can have when no change at all
 * came in since (newest() is not above it): then the scopes are not looked up (a tag archive names
 * 40 and more).
 */
export function changedSince(feed: ChangeFeed, scopes: readonly string[], made: number): boolean {
  return feed.newest() > made && feed.lastChange(scopes) > made
}

export async function syncAfterTransactions(feed: ChangeFeed): Promise<number> {
  for (let tries = 0; ; tries++) {
    const seen = feed.sync()
    if (feed.upToDate() || tries === 3) return seen
    await feed.transactionEnded?.()
  }
}

export function openChangeFeed(database: Database, onChange?: () => void): ChangeFeed {
  if (database.kind === 'postgres') return postgresChangeFeed(database.url, onChange)
  return sqliteChangeFeed(database.sqlite, database.db, onChange, database.whenClosed)
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
  if (feed.catchUp) app.addHook('onRequest', async () => feed.catchUp!())
  if (feed.close) app.addHook('onClose', async () => feed.close!())
  registerJobs(app, [{ name: 'cache-changes-prune', intervalMs: 10 * 60_000, run: async (a) => a.changes.prune() }])
}
