// The change feed on SQLite: one cheap look per check, the log read only when something was committed.
// The look reads the WAL-index header (walIndexChanged): one pread, no lock; where there is none to read
// (not in WAL mode), two statements (PRAGMA data_version moves when another connection commits;
// total_changes() when this one writes), which take SQLite's read locks: several system calls.
import fs from 'node:fs'
import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { ChangeFeed } from './index.js'
import { connectionFree, deleteChangesUpTo, newestChange } from './queries.js'
import { lastChangeOf } from './scopes.js'

/** Scopes remembered one by one; past this, everything older counts as changed (see floor). */
const MAX_SCOPES = 20_000

export function sqliteChangeFeed(sqlite: SQLite.Database, db: Kysely<DB>, onChange?: () => void): ChangeFeed {
  // Two plain statements cost half of one that reads the pragma as a table.
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  const totalChanges = sqlite.prepare('select total_changes()').pluck()
  const newer = sqlite.prepare('select seq, scope from cache_changes where seq > ? order by seq')
  const newest = sqlite.prepare('select coalesce(max(seq), 0) as seq from cache_changes')
  const scopes = new Map<string, number>()
  // Changes before `floor` are not known scope by scope: treated as a change to everything.
  let seq = (newest.get() as { seq: number }).seq
  let floor = seq
  let version = -1
  let changes = -1
  let skipped = false

  const walIndex = walIndexProbe(sqlite)
  const committed = walIndex ?? (() => {
    const v = dataVersion.get() as number
    const c = totalChanges.get() as number
    if (v === version && c === changes) return false
    version = v
    changes = c
    return true
  })

  return {
    sync() {
      // Inside a transaction this connection would read its own uncommitted rows: wait for the commit.
      skipped = sqlite.inTransaction || !sqlite.open
      if (skipped || !committed()) return seq
      const before = seq
      for (const row of newer.iterate(seq) as Iterable<{ seq: number; scope: string }>) {
        // A gap: rows were pruned before this process read them. Start afresh.
        if (row.seq !== seq + 1) {
          scopes.clear()
          floor = row.seq
        }
        seq = row.seq
        scopes.set(row.scope, seq)
      }
      if (scopes.size > MAX_SCOPES) {
        scopes.clear()
        floor = seq
      }
      if (seq !== before) onChange?.()
      return seq
    },
    lastChange: (names) => lastChangeOf(scopes, floor, seq, names),
    upToDate: () => !skipped,
    // Queued behind the transaction that holds the connection, as a request's own reads would be
    // (not when sync() skipped because the database is closed: nothing to wait for then).
    async transactionEnded() {
      if (sqlite.inTransaction) await connectionFree(db)
    },
    // Through Kysely, so it waits for a transaction in progress; the newest row always stays (the
    // numbering goes on from it).
    async prune(keep = 100_000) {
      await deleteChangesUpTo(db, (await newestChange(db)) - Math.max(1, keep))
    },
    close: async () => walIndex?.close(),
  }
}

/** Bytes 0–47 of the -shm file: the wal-index header's first copy (https://sqlite.org/walformat.html). */
const HEADER = 48

/**
 * Whether any connection, in any process, committed since the last call, from the WAL-index header:
 * every commit changes it (its frame count grows, or the WAL restarts with new salts), and SQLite writes
 * this copy last, so once a commit has returned its change is here. A read that meets a commit being
 * written counts it as changed or not; either is right for a commit not yet done, and the next read
 * sees it done. The -shm file stays while this process's connection is open (SQLite removes it with the
 * last connection). Undefined when the database is not in WAL mode or the file cannot be read.
 */
function walIndexProbe(sqlite: SQLite.Database): (() => boolean) & { close(): void } | undefined {
  if (sqlite.memory || String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined
  let fd: number
  try {
    fd = fs.openSync(`${sqlite.name}-shm`, 'r')
  } catch {
    return undefined
  }
  const seen = Buffer.alloc(HEADER)
  const now = Buffer.alloc(HEADER)
  let first = true
  let open = true
  const changed = () => {
    if (!open || !sqlite.open) return false
    if (fs.readSync(fd, now, 0, HEADER, 0) !== HEADER) return true
    if (!first && now.equals(seen)) return false
    first = false
    now.copy(seen)
    return true
  }
  return Object.assign(changed, {
    close() {
      if (open) fs.closeSync(fd)
      open = false
    },
  })
}
