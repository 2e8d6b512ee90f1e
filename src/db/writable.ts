// Why a database cannot be written, in words an operator can act on, and the one repair that is safe
// to make unasked.
import fs from 'node:fs'
import path from 'node:path'

const SIDE_FILES = ['-wal', '-shm'] as const

function writable(p: string): boolean | undefined {
  try {
    fs.accessSync(p, fs.constants.W_OK)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : false
  }
}

/** The folder, the database and its -wal and -shm files this process may not write (missing ones are fine). */
export function unwritablePaths(file: string): string[] {
  return [path.dirname(file), file, ...SIDE_FILES.map((s) => file + s)].filter((p) => writable(p) === false)
}

/** Start-up stops with this: its message says what to fix (no stack trace needed). */
export class DatabaseNotWritable extends Error {
  override readonly name = 'DatabaseNotWritable'
}

/** The error start-up stops with when the database or its folder cannot be written. */
export function cannotWrite(file: string, cause: unknown): DatabaseNotWritable {
  const named = unwritablePaths(file).map((p) => {
    const st = fs.statSync(p, { throwIfNoEntry: false })
    return `${p}${st ? ` (mode ${(st.mode & 0o777).toString(8)}, owner uid ${st.uid})` : ''}`
  })
  return new DatabaseNotWritable(
    `The database ${file} cannot be opened for writing (${cause instanceof Error ? cause.message : String(cause)}). ` +
      (named.length ? `Not writable by this user (uid ${process.getuid?.() ?? '?'}): ${named.join(', ')}. ` : '') +
      'Check that DATA_DIR, the database and its -wal and -shm files are writable by this user and that the disk is not full.',
    { cause },
  )
}

/**
 * SQLite creates the -wal and -shm files with the database file's mode. When the database was
 * read-only at that moment they stay read-only after its mode is fixed, and every write fails
 * (SQLITE_READONLY) although the database looks writable. They are only the database's working
 * files: when they are ours, give them the database's mode again.
 */
export function alignSideFileModes(file: string): void {
  const db = fs.statSync(file, { throwIfNoEntry: false })
  if (!db || !writable(file)) return
  for (const suffix of SIDE_FILES) {
    const side = file + suffix
    const st = fs.statSync(side, { throwIfNoEntry: false })
    if (!st || writable(side) !== false || st.uid !== process.getuid?.()) continue
    fs.chmodSync(side, db.mode & 0o777)
  }
}
