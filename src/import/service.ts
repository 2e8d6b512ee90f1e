// Imports a WordPress export (WXR). The order of work is what makes it safe:
//   1. read and validate the whole file (scanExport) — a broken file stops here, nothing written;
//   2. authors → accounts (one transaction);
//   3. read the file again, item by item: prepare each post (convert, copy its images), then write
//      posts in batches — one transaction per batch, one savepoint per post — so a post is written
//      whole or not at all, and a failing post is reported without stopping the others.
// The import map (wordpress_map) makes a second run skip what is already there: it changes nothing
// and says so. A dry run is the real run, on a throwaway copy of the database (on PostgreSQL: in a
// transaction that is rolled back, src/db/postgres/rehearsal.ts) and of the uploads folder:
// it goes through the same code and counts the same way, so it reports exactly what the real run would.
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { copyDatabaseTo, openDatabase } from '../db/database.js'
import { isPostgres } from '../db/dialect.js'
import { rehearse } from '../db/postgres/rehearsal.js'
import type { DB } from '../db/schema.js'
import { countActiveAdmins } from '../users/queries.js'
import { parseWxr } from '../wordpress/parse-wxr.js'
import { WxrError, type WxrItem } from '../wordpress/wxr-types.js'
import { importAuthors } from './authors.js'
import { classifyItem, type DraftReason } from './classify.js'
import { ImageImporter } from './images.js'
import { describe, oldUrlKeys, prepareComments, preparePost, type PrepareContext, type PreparedComment, type PreparedPost } from './prepare.js'
import { listMappedComments, listMappedPosts } from './queries.js'
import { emptyReport, type ImportReport } from './report.js'
import { scanExport, type ExportScan } from './scan.js'
import { termKey } from './tags.js'
import { writeNewComments, writePost, type WriteContext, type Written } from './writer.js'

export interface ImportOptions {
  /** A copy of the old site's wp-content/uploads folder. */
  uploadsFrom?: string
  dryRun?: boolean
  /** Leave pages (post type `page`) out instead of importing them as posts tagged "side". */
  skipPages?: boolean
  /** Posts per write transaction; each post has its own savepoint inside it. */
  batchSize?: number
  /** Called after each batch with the number of items read so far. */
  progress?: (items: number) => void
}

export interface ImportTarget {
  db: Kysely<DB>
  /** Our uploads folder (config.uploadsDir). */
  uploadsDir: string
}

/** The import cannot start (the site is not set up, the uploads folder is missing…). */
export class ImportRefused extends Error {
  override readonly name = 'ImportRefused'
}

type Entry =
  | { kind: 'post'; post: PreparedPost }
  | { kind: 'comments'; where: string; postId: number; comments: PreparedComment[]; existing: Map<number, number> }

export async function importWordPress(target: ImportTarget, file: string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (!opts.dryRun) return runImport(target, file, opts, true)
  if (isPostgres(target.db)) {
    // PostgreSQL: the real run inside a transaction that is rolled back; image files go to a temporary folder.
    const dir = await mkdtemp(path.join(tmpdir(), 'betablogg-dry-run-'))
    try {
      return await rehearse(target.db, (db) => runImport({ db, uploadsDir: path.join(dir, 'uploads') }, file, opts, false))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  // The copy lives in the temporary folder; image files are removed as soon as they are recorded.
  const dir = await mkdtemp(path.join(tmpdir(), 'betablogg-dry-run-'))
  try {
    const copyFile = path.join(dir, 'dry-run.sqlite')
    await copyDatabaseTo(target.db, copyFile)
    const copy = openDatabase(copyFile)
    try {
      return await runImport({ db: copy.db, uploadsDir: path.join(dir, 'uploads') }, file, opts, false)
    } finally {
      await copy.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function runImport(target: ImportTarget, file: string, opts: ImportOptions, keepFiles: boolean): Promise<ImportReport> {
  const started = performance.now()
  if (opts.uploadsFrom && !(await stat(opts.uploadsFrom).then((s) => s.isDirectory(), () => false))) {
    throw new ImportRefused(`The uploads folder ${opts.uploadsFrom} does not exist`)
  }
  if ((await countActiveAdmins(target.db)) === 0) {
    throw new ImportRefused('Set the site up first (create the first administrator), then import: imported authors are deactivated accounts, and someone must be able to activate them')
  }
  const scan = await scanExport(file)
  const report = emptyReport({
    file: scan.fileName, sha256: scan.sha256, site: scan.channel.title || scan.source,
    wxrVersion: scan.channel.wxrVersion, dryRun: !!opts.dryRun,
  })
  const now = new Date().toISOString()
  const authors = await importAuthors(target.db, scan, report, now)
  const run = new ItemRun(target, scan, report, opts, {
    db: target.db, scan, report, authors, now,
    images: new ImageImporter({
      db: target.db, source: scan.source, uploadsDir: target.uploadsDir, from: opts.uploadsFrom, keepFiles,
      attachmentsByPath: new Map([...scan.attachments.values()].flatMap((a) => (a.uploadPath ? [[a.uploadPath, a.id]] : []))),
      attachmentUrls: new Map([...scan.attachments.values()].map((a) => [a.id, oldUrlKeys({ link: a.link, guid: '' }, scan.siteUrls)])),
      counts: report.images,
    }),
    termIds: new Map(scan.terms.map((t) => [termKey(t), t.id])),
    emailUsers: new Map(),
  })
  await run.all(file)
  report.seconds = (performance.now() - started) / 1000
  return report
}

class ItemRun {
  private batch: Entry[] = []
  private mapped = new Map<number, number>()
  private readonly seen = new Set<number>()
  private readonly write: WriteContext
  private items = 0

  constructor(private readonly target: ImportTarget, private readonly scan: ExportScan,
    private readonly report: ImportReport, private readonly opts: ImportOptions, private readonly ctx: PrepareContext) {
    this.write = { source: scan.source, fileName: scan.fileName, sha256: scan.sha256, now: ctx.now, tagIds: new Map() }
  }

  async all(file: string): Promise<void> {
    this.mapped = await listMappedPosts(this.target.db, this.scan.source)
    try {
      for await (const event of parseWxr(file)) {
        if (event.kind !== 'item') continue
        await this.item(event.item)
        if (++this.items % (this.opts.batchSize ?? 100) === 0) {
          await this.flush()
          this.opts.progress?.(this.items)
        }
      }
    } catch (err) {
      // The file was valid a moment ago: it changed under us. Earlier batches are written (whole posts).
      if (err instanceof WxrError) throw new Error(`the export changed while it was being imported (${err.message})`, { cause: err })
      throw err
    }
    await this.flush()
  }

  private async item(item: WxrItem): Promise<void> {
    const decision = classifyItem(item, { skipPages: !!this.opts.skipPages })
    if (decision.action === 'skip') {
      this.report.skippedItems[decision.reason] = (this.report.skippedItems[decision.reason] ?? 0) + 1
      return
    }
    if (this.seen.has(item.postId)) {
      this.report.problems.push({ where: describe(item), code: 'duplicate-item', detail: 'this WordPress id came earlier in the export; left out' })
      return
    }
    this.seen.add(item.postId)
    const postId = this.mapped.get(item.postId)
    if (postId !== undefined) return this.alreadyImported(item, postId)
    const reason: DraftReason | undefined = decision.status === 'draft' ? decision.reason : undefined
    const post = await preparePost(item, decision.status, reason, this.ctx)
    this.batch.push({ kind: 'post', post })
  }

  /** Imported before: only comments added to the blog since then are new. */
  private async alreadyImported(item: WxrItem, postId: number): Promise<void> {
    this.report.posts.already++
    if (!item.comments.length) return
    const existing = await listMappedComments(this.target.db, this.scan.source, postId)
    const where = describe(item)
    const comments = await prepareComments(item.comments, item.date ?? this.ctx.now, this.ctx, where, this.report.problems, existing)
    this.report.comments.already += existing.size
    if (!comments.length) return
    this.report.posts.withNewComments++
    this.batch.push({ kind: 'comments', where, postId, comments, existing })
  }

  private async flush(): Promise<void> {
    if (!this.batch.length) return
    const batch = this.batch
    this.batch = []
    const results: { entry: Entry; done?: Written | number; error?: unknown }[] = []
    const trx = await this.target.db.startTransaction().execute()
    try {
      for (const entry of batch) {
        const sp = await trx.savepoint('item').execute()
        try {
          const done = entry.kind === 'post' ? await writePost(sp, entry.post, this.write)
            : await writeNewComments(sp, entry.postId, entry.comments, entry.existing, this.write)
          await sp.releaseSavepoint('item').execute()
          results.push({ entry, done })
        } catch (error) {
          await (await sp.rollbackToSavepoint('item').execute()).releaseSavepoint('item').execute()
          this.write.tagIds.clear() // it may hold tags the rolled-back post created
          results.push({ entry, error })
        }
      }
      await trx.commit().execute()
    } catch (error) {
      await trx.rollback().execute().catch(() => undefined)
      this.write.tagIds.clear()
      for (const r of results) if (!r.error) Object.assign(r, { done: undefined, error })
      for (const entry of batch.slice(results.length)) results.push({ entry, error })
    }
    for (const r of results) this.settle(r.entry, r.done, r.error)
  }

  private settle(entry: Entry, done: Written | number | undefined, error: unknown): void {
    const where = entry.kind === 'post' ? entry.post.where : entry.where
    if (error !== undefined || done === undefined) {
      if (entry.kind === 'post') this.report.posts.failed++
      const why = error instanceof Error ? error.message : String(error)
      this.report.problems.push({ where, code: 'failed', detail: `not imported, nothing of it was written: ${why}` })
      return
    }
    if (typeof done === 'number') this.report.comments.imported += done
    else if (entry.kind === 'post') {
      this.mapped.set(entry.post.wpId, done.postId)
      this.counted(entry.post, done)
    }
  }

  private counted(post: PreparedPost, done: Written): void {
    const r = this.report
    if (post.row.status === 'published') r.posts.published++
    else r.posts.drafts++
    if (post.wpType === 'page') r.posts.pages++
    if (post.draftReason) r.drafts[post.draftReason] = (r.drafts[post.draftReason] ?? 0) + 1
    r.comments.imported += done.comments
    r.images.external += post.problems.filter((p) => p.code === 'external-image').length
    r.tags.created += done.createdTags.length
    if (done.slug !== post.slugBase) {
      post.problems.push({ where: post.where, code: 'duplicate-slug', detail: `the address "${post.slugBase}" was taken: ${r.dryRun ? 'would be' : 'imported as'} /posts/${done.slug}` })
    }
    r.problems.push(...post.problems)
  }
}
