// Old-site images → our uploads. Each file is read from the --uploads folder (a copy of the old
// wp-content/uploads), decoded and re-encoded like any upload (metadata stripped, web sizes), saved
// under DATA_DIR/uploads and recorded in `uploads` and the import map, once per file: posts that
// share an image share the upload, and a repeated import reuses it.
//
// Where WordPress showed a resized copy (foo-300x200.jpg) the full-size original is taken when it is
// there (the page keeps the width/height the post asked for), so the copy is as sharp as possible.
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Insertable, Kysely } from 'kysely'
import type { DB, WordpressMapTable } from '../db/schema.js'
import { ImageRejectedError, processImage } from '../uploads/image-process.js'
import { deleteImage, saveImage, UPLOADS_URL_PREFIX } from '../uploads/storage.js'
import type { UploadPath } from '../wordpress/upload-refs.js'
import type { ImageSource, Report } from './content.js'
import { findMappedUpload, insertMappings, insertUpload } from './queries.js'
import type { ImportReport } from './report.js'

export interface ImageImporterOptions {
  db: Kysely<DB>
  source: string
  /** Where our uploads live (config.uploadsDir). */
  uploadsDir: string
  /** The old wp-content/uploads folder (--uploads), if given. */
  from: string | undefined
  /** False in a dry run: files are removed once recorded (the database is a throwaway copy too). */
  keepFiles: boolean
  /** Old-site path → WordPress attachment id, so /?attachment_id= can redirect to the copy. */
  attachmentsByPath: Map<string, number>
  /** WordPress attachment id → its old page's URL keys (oldUrlKey), which redirect to the copy too. */
  attachmentUrls: Map<number, string[]>
  counts: ImportReport['images']
}

const AFTER = {
  image: 'the post shows a placeholder with the alt text',
  link: 'the link still points at the old site',
  cover: 'the post has no cover image',
}

type Resolved = { id: number; url: string } | { problem: 'missing-image' | 'unusable-image'; detail: string }

export class ImageImporter {
  private readonly done = new Map<string, Resolved>()
  private readonly missing = new Set<string>()

  constructor(private readonly o: ImageImporterOptions) {}

  /** An ImageSource for one post: problems go to that post, new uploads belong to its author. */
  forPost(ownerId: number | null, date: Date, report: Report): ImageSource {
    return {
      resolve: async (ref, use) => {
        const r = await this.resolve(ref, ownerId, date)
        if ('problem' in r) report(use === 'link' ? 'missing-link-target' : r.problem, `${r.detail}; ${AFTER[use]}`)
        return 'url' in r ? r.url : undefined
      },
      missingAttachment: (id) => {
        report('missing-image', `gallery: attachment ${id} is not in the export; left out of the gallery`)
        this.countMissing(`attachment:${id}`)
      },
    }
  }

  /** Counts a missing file (or attachment) once per run, however many posts show it. */
  private countMissing(key: string): void {
    if (this.missing.has(key)) return
    this.missing.add(key)
    this.o.counts.missing++
  }

  /** The upload id for a featured image (by its old-site path). */
  async uploadId(uploadPath: string, alt: string, ownerId: number | null, date: Date, report: Report): Promise<number | undefined> {
    const r = await this.resolve({ uploadPath, originalPath: undefined, alt }, ownerId, date)
    if ('problem' in r) report(r.problem, `cover image: ${r.detail}; ${AFTER.cover}`)
    return 'id' in r ? r.id : undefined
  }

  private async resolve(ref: UploadPath & { alt: string }, ownerId: number | null, date: Date): Promise<Resolved> {
    const known = this.done.get(ref.uploadPath)
    if (known) return known
    const result = await this.locateAndImport(ref, ownerId, date)
    this.done.set(ref.uploadPath, result)
    if ('problem' in result && result.problem === 'missing-image') this.countMissing(ref.uploadPath)
    return result
  }

  private async locateAndImport(ref: UploadPath & { alt: string }, ownerId: number | null, date: Date): Promise<Resolved> {
    const wanted = `wp-content/uploads/${ref.uploadPath}`
    if (!this.o.from) return { problem: 'missing-image', detail: `${wanted}: no --uploads folder was given` }
    const candidates = ref.originalPath ? [ref.originalPath, ref.uploadPath] : [ref.uploadPath]
    let chosen: string | undefined
    for (const c of candidates) {
      if (await isFile(path.join(this.o.from, ...c.split('/')))) { chosen = c; break }
    }
    if (!chosen) return { problem: 'missing-image', detail: `${wanted} is not in the uploads folder` }

    const before = this.done.get(chosen) ?? (await this.mapped(chosen))
    if (before) {
      if ('id' in before) await this.mapAlias(ref.uploadPath, chosen, before.id)
      return before
    }
    return this.copy(chosen, ref, ownerId, date)
  }

  private async mapped(chosen: string): Promise<Resolved | undefined> {
    const row = await findMappedUpload(this.o.db, this.o.source, chosen)
    if (!row) return undefined
    this.o.counts.reused++
    const found = { id: row.id, url: UPLOADS_URL_PREFIX + row.path }
    this.done.set(chosen, found)
    return found
  }

  private async copy(chosen: string, ref: { alt: string; uploadPath: string }, ownerId: number | null, date: Date): Promise<Resolved> {
    let processed
    try {
      processed = await processImage(await readFile(path.join(this.o.from!, ...chosen.split('/'))))
    } catch (err) {
      if (!(err instanceof ImageRejectedError)) throw err
      this.o.counts.unusable++
      const unusable: Resolved = { problem: 'unusable-image', detail: `wp-content/uploads/${chosen} cannot be used (${err.message})` }
      this.done.set(chosen, unusable)
      return unusable
    }
    const stored = await saveImage(this.o.uploadsDir, processed, { now: Number.isNaN(date.getTime()) ? new Date() : date })
    try {
      const id = await this.o.db.transaction().execute(async (trx) => {
        const id = await insertUpload(trx, {
          owner_id: ownerId, path: stored.path, mime: stored.mime, width: stored.width, height: stored.height,
          bytes: stored.bytes, alt: ref.alt, created_at: new Date().toISOString(),
          variants: JSON.stringify(stored.variants.map((v) => ({ width: v.width, height: v.height, path: v.path }))),
        })
        await this.mapAlias(chosen, chosen, id, trx)
        if (ref.uploadPath !== chosen) await this.mapAlias(ref.uploadPath, chosen, id, trx)
        return id
      })
      this.o.counts.copied++
      if (!this.o.keepFiles) await deleteImage(this.o.uploadsDir, stored.path)
      const result = { id, url: stored.publicUrl }
      this.done.set(chosen, result)
      return result
    } catch (err) {
      await deleteImage(this.o.uploadsDir, stored.path).catch(() => 0)
      throw err
    }
  }

  /** Records that an old-site path (and its attachment, if any) is now this upload. */
  private async mapAlias(oldPath: string, chosen: string, uploadId: number, db: Kysely<DB> = this.o.db): Promise<void> {
    const now = new Date().toISOString()
    const rows: Insertable<WordpressMapTable>[] = [{ source: this.o.source, kind: 'upload', wp_key: oldPath, target_id: uploadId, imported_at: now }]
    const attachment = this.o.attachmentsByPath.get(chosen)
    if (attachment !== undefined) {
      rows.push({ source: this.o.source, kind: 'attachment', wp_key: String(attachment), wp_id: attachment, target_id: uploadId, imported_at: now })
      for (const key of this.o.attachmentUrls.get(attachment) ?? []) {
        rows.push({ source: this.o.source, kind: 'url', wp_key: key, wp_id: attachment, wp_type: 'attachment', target_id: uploadId, imported_at: now })
      }
    }
    await insertMappings(db, rows)
  }
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile()
  } catch {
    return false
  }
}
