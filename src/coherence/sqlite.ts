// The change feed on SQLite: one cheap look per check, the log read only when something was committed.
// The look reads the WAL-index header (walIndexLook): one pread, no lock; where there is none to read
// (not in WAL mode), two statements (statementLook), which take SQLite's read locks: several system
// calls.
import fs from 'node:fs'
import os from 'node:os'
import type SQLite from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { ChangeFeed } from './index.js'
import { connectionFree, deleteChangesUpTo, newestChange } from './queries.js'
import { lastChangeOf } from './scopes.js'

/** Scopes remembered one by one; past this, everything older counts as changed (see floor). */
const MAX_SCOPES = 20_000

/**
 * `whenClosed` runs a function once the database is closed: only then may the WAL-index probe close its
 * descriptor (closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
 * own included). Without it the feed looks with statements.
 */
export function sqliteChangeFeed(
  sqlite: SQLite.Database, db: Kysely<DB>, onChange?: () => void, whenClosed?: (fn: () => void) => void,
): ChangeFeed & { readonly looksAt: 'wal-index' | 'statements' } {
  const newer = sqlite.prepare('select seq, scope from cache_changes where seq > ? order by seq')
  const newest = sqlite.prepare('select coalesce(max(seq), 0) as seq from cache_changes')
  const scopes = new Map<string, number>()
  // Changes before `floor` are not known scope by scope: treated as a change to everything.
  let seq = (newest.get() as { seq: number }).seq
  let floor = seq
  let skipped = false
  let look = (whenClosed && walIndexLook(sqlite, whenClosed)) || statementLook(sqlite)

  return {
    get looksAt() {
      return look.kind
    },
    sync() {
      // Inside a transaction this connection would read its own uncommitted rows: wait for the commit.
      skipped = sqlite.inTransaction || !sqlite.open
      if (skipped) return seq
      let moved: boolean
      try {
        moved = look.moved()
      } catch {
        look = statementLook(sqlite) // the -shm file cannot be read (any more): look with statements
        moved = look.moved()
      }
      if (!moved) return seq
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
      // Only now: had the log read failed, the next look would still see the commit.
      look.seen()
      if (seq !== before) onChange?.()
      return seq
    },
    lastChange: (names) => lastChangeOf(scopes, floor, seq, names),
    // Every change to `scopes` or `floor` above moves `seq` (ChangeFeed.newest).
    newest: () => seq,
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
  }
}

/** Whether anything was committed since the last `seen()`: `moved()` looks, `seen()` takes in what it saw. */
interface Look { kind: 'wal-index' | 'statements'; moved(): boolean; seen(): void }

/** PRAGMA data_version moves when another connection commits, total_changes() when this one writes. */
function statementLook(sqlite: SQLite.Database): Look {
  // Two plain statements cost half of one that reads the pragma as a table.
  const dataVersion = sqlite.prepare('pragma data_version').pluck()
  const totalChanges = sqlite.prepare('select total_changes()').pluck()
  let seen = ''
  let now = ''
  return {
    kind: 'statements',
    moved() {
      now = `${dataVersion.get() as number} ${totalChanges.get() as number}`
      return now !== seen
    },
    seen: () => void (seen = now),
  }
}

/** Bytes 0–47 of the -shm file: the wal-index header's first copy (https://sqlite.org/walformat.html). */
const HEADER = 48
/** The header's iVersion (offset 0) and isInit (offset 12), in the machine's byte order. */
const WAL_INDEX_VERSION = 3007000

/**
 * Looks at the WAL-index header: every commit changes it (its change counter and frame count, or the
 * salts when the WAL restarts), and SQLite writes this copy last, so once a commit has returned its
 * change is here. A read that meets a commit being written counts it as changed or not; either is
 * right for a commit not yet done, and the next look sees it done. The -shm file stays while this
 * process's connection is open. Undefined when the database is not in WAL mode or the header is not
 * what this expects.
 */
function walIndexLook(sqlite: SQLite.Database, whenClosed: (fn: () => void) => void): Look | undefined {
  if (sqlite.memory || String(sqlite.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined
  // Where SQLite keeps it: beside the file the name resolves to (a symbolic link's target).
  const main = (sqlite.pragma('database_list') as { name: string; file: string }[]).find((d) => d.name === 'main')
  if (!main?.file) return undefined
  let fd: number
  try {
    fd = fs.openSync(`${main.file}-shm`, 'r')
  } catch {
    return undefined
  }
  const seenHeader = Buffer.alloc(HEADER)
  const now = Buffer.alloc(HEADER)
  let open = true
  whenClosed(() => {
    if (open) fs.closeSync(fd)
    open = false
  })
  const read = () => fs.readSync(fd, now, 0, HEADER, 0) === HEADER
  const version = () => (os.endianness() === 'LE' ? now.readUInt32LE(0) : now.readUInt32BE(0))
  // Compared as twelve words in JavaScript: this runs for every request, and a call into Node's
  // C++ (Buffer.equals) cost as much as the comparison.
  const nowWords = new Int32Array(now.buffer, now.byteOffset, HEADER / 4)
  const seenWords = new Int32Array(seenHeader.buffer, seenHeader.byteOffset, HEADER / 4)
  const same = () => {
    for (let i = 0; i < nowWords.length; i++) if (nowWords[i] !== seenWords[i]) return false
    return true
  }
  // Not the header this reads (the descriptor is still closed with the database, as above).
  if (!read() || version() !== WAL_INDEX_VERSION || now[12] !== 1) return undefined
  let first = true
  return {
    kind: 'wal-index',
    moved() {
      if (!open || !sqlite.open) return false
      if (!read()) throw new Error('short read of the WAL-index header')
      return first || !same()
    },
    seen() {
      first = false
      seenWords.set(nowWords)
    },
  }
}
