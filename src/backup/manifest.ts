// A backup's manifest.json: what a complete, verified backup holds — every file with its size and
// SHA-256, the schema version (the last migration) and the app version that wrote it. Written last,
// just before the folder gets its final name; checked in full before a restore replaces anything.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import SQLite from 'better-sqlite3'

export const MANIFEST = 'manifest.json'
export const MANIFEST_FORMAT = 1

export interface ManifestFile { path: string; size: number; sha256: string }

export interface Manifest {
  format: number
  createdAt: string
  appVersion: string
  /** The name of the last migration applied to the database copy. */
  schemaVersion: string
  /** The database file's path inside the folder. */
  database: string
  integrityCheck: 'ok'
  files: ManifestFile[]
}

/** Every file below `dir`, relative, with '/' separators, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort()
}

export async function describeFile(dir: string, rel: string): Promise<ManifestFile> {
  const file = path.join(dir, rel)
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return { path: rel, size: (await fs.stat(file)).size, sha256: hash.digest('hex') }
}

export interface DatabaseCheck { ok: boolean; problem?: string; schemaVersion?: string }

/** PRAGMA integrity_check on a database copy, opened read-only; and its last migration. */
export function checkDatabaseCopy(file: string): DatabaseCheck {
  let db: SQLite.Database | undefined
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true })
    const result = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[]
    const problems = result.map((r) => r.integrity_check).filter((r) => r !== 'ok')
    if (problems.length) return { ok: false, problem: problems.slice(0, 3).join('; ') }
    const last = db.prepare('select name from kysely_migration order by name desc limit 1').get() as { name: string } | undefined
    if (!last) return { ok: false, problem: 'it has no migrations: not a Betablogg database' }
    return { ok: true, schemaVersion: last.name }
  } catch (err) {
    return { ok: false, problem: err instanceof Error ? err.message : String(err) }
  } finally {
    db?.close()
  }
}

const HEX64 = /^[0-9a-f]{64}$/

/** The manifest if it is well-formed, else a reason. */
export function parseManifest(text: string): Manifest | string {
  let m: Partial<Manifest>
  try {
    m = JSON.parse(text) as Partial<Manifest>
  } catch {
    return 'manifest.json is not valid JSON'
  }
  if (m.format !== MANIFEST_FORMAT) return `manifest.json has format ${String(m.format)}, expected ${MANIFEST_FORMAT}`
  if (typeof m.database !== 'string' || typeof m.schemaVersion !== 'string' || typeof m.createdAt !== 'string' || m.integrityCheck !== 'ok') {
    return 'manifest.json lacks the database, schema version, creation time or integrity check'
  }
  const files = Array.isArray(m.files) ? m.files : []
  const wellFormed = files.every((f) => f && typeof f.path === 'string' && Number.isSafeInteger(f.size) && HEX64.test(String(f.sha256))
    && !f.path.startsWith('/') && !f.path.split('/').includes('..'))
  if (!wellFormed || !files.some((f) => f.path === m.database)) return 'manifest.json has a malformed file list'
  return m as Manifest
}
