// `npm run cli -- restore <folder>`: puts a backup back. Everything is checked before anything is
// replaced — the folder is complete (not .partial), every file matches the manifest's size and SHA-256
// and nothing is missing, the database copy passes integrity_check and was made by this version or an
// older one — and no server may run meanwhile (it holds the server lock; restore holds it while it
// works, so none can start). The data it replaces is moved aside, not deleted.
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import { lockDatabase, ServerAlreadyRunning } from '../db/server-lock.js'
import { migrations } from '../../migrations/index.js'
import { checkDatabaseCopy, describeFile, listFiles, MANIFEST, parseManifest, type Manifest } from './manifest.js'
import { PARTIAL } from './service.js'

export class RestoreRefused extends Error {
  override readonly name = 'RestoreRefused'
}

export interface RestoreResult { manifest: Manifest; uploads: number; setAside: string }

/** Checks a backup folder in full; returns its manifest or throws RestoreRefused. Changes nothing. */
export async function verifyBackup(folder: string): Promise<Manifest> {
  const dir = path.resolve(folder)
  if (path.basename(dir).endsWith(PARTIAL)) {
    throw new RestoreRefused(`${dir} is an unfinished backup (${PARTIAL}): the backup was cut short and is not complete. Use a complete one`)
  }
  const text = await fs.readFile(path.join(dir, MANIFEST), 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new RestoreRefused(err.code === 'ENOENT' ? `${dir} has no ${MANIFEST}: it is not a complete Betablogg backup` : `cannot read ${MANIFEST}: ${err.message}`)
  })
  const manifest = parseManifest(text)
  if (typeof manifest === 'string') throw new RestoreRefused(`${dir}: ${manifest}`)
  const listed = new Set(manifest.files.map((f) => f.path))
  const present = (await listFiles(dir)).filter((f) => f !== MANIFEST)
  const extra = present.filter((f) => !listed.has(f))
  if (extra.length) throw new RestoreRefused(`${dir} holds files its manifest does not list (${extra.slice(0, 3).join(', ')}): it was changed after the backup`)
  for (const expected of manifest.files) {
    if (!present.includes(expected.path)) throw new RestoreRefused(`${expected.path} is missing from ${dir}`)
    const actual = await describeFile(dir, expected.path)
    if (actual.size !== expected.size || actual.sha256 !== expected.sha256) {
      throw new RestoreRefused(`${expected.path} does not match the manifest (size or SHA-256 differs): the backup was damaged or changed`)
    }
  }
  const check = checkDatabaseCopy(path.join(dir, manifest.database))
  if (!check.ok) throw new RestoreRefused(`the database in ${dir} fails its integrity check (${check.problem})`)
  if (check.schemaVersion !== manifest.schemaVersion) throw new RestoreRefused(`the database's schema version is not the manifest's`)
  if (!(check.schemaVersion! in migrations)) {
    throw new RestoreRefused(`the backup was made by a newer Betablogg (schema ${check.schemaVersion}, app ${manifest.appVersion}): update this installation first`)
  }
  return manifest
}

export async function restoreBackup(config: Config, folder: string, now = new Date()): Promise<RestoreResult> {
  const dir = path.resolve(folder)
  let lock
  try {
    lock = lockDatabase(config.databaseFile)
  } catch (err) {
    if (err instanceof ServerAlreadyRunning) {
      throw new RestoreRefused(`a Betablogg server is running on ${config.databaseFile}: stop it first, then restore`)
    }
    throw err
  }
  try {
    const manifest = await verifyBackup(dir)
    const db = config.databaseFile
    const uploads = manifest.files.filter((f) => f.path.startsWith('uploads/'))
    // First the new data beside the old under temporary names (a full disk stops here, nothing replaced) …
    const newUploads = `${config.uploadsDir}.restoring`
    try {
      await copyDurably(path.join(dir, manifest.database), `${db}.restoring`)
      await fs.rm(newUploads, { recursive: true, force: true })
      await fs.mkdir(newUploads, { recursive: true })
      for (const f of uploads) {
        const target = path.join(newUploads, ...f.path.split('/').slice(1))
        await fs.mkdir(path.dirname(target), { recursive: true })
        await fs.copyFile(path.join(dir, f.path), target)
      }
    } catch (err) {
      await fs.rm(`${db}.restoring`, { force: true })
      await fs.rm(newUploads, { recursive: true, force: true })
      throw err
    }
    // … then the current data goes aside whole (database with its -wal and -shm, uploads), and the new takes its place.
    const setAside = path.join(config.dataDir, `replaced-${now.toISOString().replace(/[:.]/g, '-')}`)
    await fs.mkdir(setAside, { recursive: true })
    for (const file of [db, `${db}-wal`, `${db}-shm`, config.uploadsDir]) {
      await fs.rename(file, path.join(setAside, path.basename(file))).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err
      })
    }
    await fs.rename(`${db}.restoring`, db)
    await fs.rename(newUploads, config.uploadsDir)
    return { manifest, uploads: uploads.length, setAside }
  } finally {
    lock.release()
  }
}

async function copyDurably(from: string, to: string): Promise<void> {
  await fs.copyFile(from, to)
  const handle = await fs.open(to, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
