// Where processed images live on disk: `<uploadsDir>/<yyyy>/<mm>/<id>.<ext>` plus `<id>-<width>.<ext>`
// for each variant. The id is 16 random bytes in hex, chosen here; client file names never reach
// the disk. Served under `/uploads/<yyyy>/<mm>/…`; resolveUploadPath is the only way from a URL
// back to a file, and it accepts nothing but names this module produces.
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import type { ProcessedImage } from './image-process.js'

export const UPLOADS_URL_PREFIX = '/uploads/'

export interface StoredVariant {
  width: number
  height: number
  /** relative to uploadsDir, forward slashes */
  path: string
  publicUrl: string
  bytes: number
}

export interface StoredImage {
  /** relative to uploadsDir, forward slashes: '2026/11/<id>.webp' */
  path: string
  publicUrl: string
  width: number
  height: number
  mime: string
  /** size of the main file */
  bytes: number
  variants: StoredVariant[]
}

// <yyyy>/<mm>/<32 hex>[-<width>].<ext> — the whole grammar of stored names.
const STORED_PATH = /^(\d{4})\/(\d{2})\/([0-9a-f]{32})(-[1-9]\d{0,4})?\.(jpg|png|webp|gif)$/

/**
 * Writes the image and its variants; each file appears atomically (temp file, fsync, rename), and
 * if any write fails the files already written are removed. Months are UTC.
 */
export async function saveImage(
  uploadsDir: string,
  img: ProcessedImage,
  opts: { now?: Date } = {},
): Promise<StoredImage> {
  const now = opts.now ?? new Date()
  const dir = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}`
  const id = randomBytes(16).toString('hex')
  const mainPath = `${dir}/${id}.${img.ext}`
  const files = [
    { rel: mainPath, data: img.data },
    ...img.variants.map((v) => ({ rel: `${dir}/${id}-${v.width}.${img.ext}`, data: v.data })),
  ]

  await mkdir(path.join(uploadsDir, dir), { recursive: true })
  const written: string[] = []
  try {
    for (const f of files) {
      await writeAtomically(path.join(uploadsDir, f.rel), f.data)
      written.push(f.rel)
    }
  } catch (err) {
    // Best effort: the original error is the one worth reporting.
    await Promise.allSettled(written.map((rel) => unlinkIfExists(path.join(uploadsDir, rel))))
    throw err
  }

  return {
    path: mainPath,
    publicUrl: UPLOADS_URL_PREFIX + mainPath,
    width: img.width,
    height: img.height,
    mime: img.mime,
    bytes: img.data.length,
    variants: img.variants.map((v, i) => {
      const rel = files[i + 1]!.rel
      return { width: v.width, height: v.height, path: rel, publicUrl: UPLOADS_URL_PREFIX + rel, bytes: v.data.length }
    }),
  }
}

/**
 * Maps a URL path such as '/uploads/2026/11/<id>-800.webp' to the absolute file path, or returns
 * undefined when it is not exactly the shape of a name saveImage produces (so `..`, absolute
 * paths, backslashes, NUL bytes, percent-encoding, query strings and foreign files are all
 * refused). Does not check that the file exists.
 */
export function resolveUploadPath(uploadsDir: string, urlPath: string): string | undefined {
  if (!urlPath.startsWith(UPLOADS_URL_PREFIX)) return undefined
  return resolveStoredPath(uploadsDir, urlPath.slice(UPLOADS_URL_PREFIX.length))
}

/** Same as resolveUploadPath for a stored relative path ('2026/11/<id>.webp'). */
export function resolveStoredPath(uploadsDir: string, relPath: string): string | undefined {
  if (!STORED_PATH.test(relPath)) return undefined
  const root = path.resolve(uploadsDir)
  const full = path.resolve(root, ...relPath.split('/'))
  // Belt and braces: the pattern already rules out escaping the root.
  return full.startsWith(root + path.sep) ? full : undefined
}

/**
 * Removes a stored image (given its main `path`) and all its variants. Idempotent: files already
 * gone are not an error. Returns how many files were removed. Throws on a path saveImage would
 * not have produced, since that is a bug in the caller.
 */
export async function deleteImage(uploadsDir: string, relPath: string): Promise<number> {
  const match = STORED_PATH.exec(relPath)
  const full = resolveStoredPath(uploadsDir, relPath)
  if (!match || !full || match[4] !== undefined) throw new Error(`Not a stored image path: ${JSON.stringify(relPath)}`)
  const [, , , id, , ext] = match
  const dir = path.dirname(full)

  let siblings: string[]
  try {
    siblings = await readdir(dir)
  } catch (err) {
    if (isNotFound(err)) return 0
    throw err
  }
  const variantName = new RegExp(`^${id}-[1-9]\\d{0,4}\\.${ext}$`)
  const targets = siblings.filter((name) => name === path.basename(full) || variantName.test(name))
  const removed = await Promise.all(targets.map((name) => unlinkIfExists(path.join(dir, name))))
  return removed.filter(Boolean).length
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const fh = await open(tmp, 'wx', 0o644)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, file)
  } catch (err) {
    await unlinkIfExists(tmp).catch(() => false)
    throw err
  }
}

async function unlinkIfExists(file: string): Promise<boolean> {
  try {
    await unlink(file)
    return true
  } catch (err) {
    if (isNotFound(err)) return false
    throw err
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}
