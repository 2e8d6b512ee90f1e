// Storing an uploaded image: checked by its bytes, decoded and re-encoded (metadata such as GPS
// position is dropped), scaled, written under DATA_DIR/uploads with a name of our own, and recorded
// with its alt text and credit line.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, type FieldErrors } from '../errors.js'
import { cleanLine } from '../posts/post.js'
import { ImageRejectedError, processImage, type ImageRejectionCode } from './image-process.js'
import { deleteImage, saveImage } from './storage.js'
import { deleteUploadRow, findUpload, findUploadUses, insertUpload, updateUploadText } from './queries.js'
import type { ReceivedFile } from './multipart.js'

export const MAX_ALT = 300
export const MAX_CREDIT = 200

/** Why an image was refused, as each upload form says it (profiles and the site logo too). */
export const REJECTION_MESSAGES = {
  empty: 'uploads.image.empty',
  'unsupported-type': 'uploads.image.unsupported',
  corrupt: 'uploads.image.corrupt',
  'too-large-dimensions': 'uploads.image.tooManyPixels',
} as const satisfies Record<ImageRejectionCode, string>

export interface ImageText {
  alt: string
  credit: string
}

export function validateImageText(raw: { alt?: string; credit?: string }, errors: FieldErrors): ImageText {
  const alt = cleanLine(raw.alt)
  const credit = cleanLine(raw.credit)
  if (!alt) errors.imageAlt = 'uploads.alt.required'
  else if ([...alt].length > MAX_ALT) errors.imageAlt = 'uploads.alt.tooLong'
  if ([...credit].length > MAX_CREDIT) errors.imageCredit = 'uploads.credit.tooLong'
  return { alt, credit }
}

/** Checks, processes and stores the image; InvalidError (fields image, imageAlt, imageCredit) if not. */
export async function storeUpload(
  db: Kysely<DB>, uploadsDir: string, owner: CurrentUser, file: ReceivedFile | undefined, raw: { alt?: string; credit?: string }, now = new Date(),
): Promise<number> {
  const errors: FieldErrors = {}
  const text = validateImageText(raw, errors)
  if (!file) errors.image = 'uploads.image.required'
  else if (file.truncated) errors.image = 'uploads.image.tooLarge'
  if (Object.keys(errors).length || !file) throw new InvalidError(errors)

  let processed
  try {
    processed = await processImage(file.data)
  } catch (err) {
    if (err instanceof ImageRejectedError) throw new InvalidError({ image: REJECTION_MESSAGES[err.code] })
    throw err
  }
  const stored = await saveImage(uploadsDir, processed, { now })
  try {
    return await insertUpload(db, {
      owner_id: owner.id, path: stored.path, mime: stored.mime, width: stored.width, height: stored.height, bytes: stored.bytes,
      variants: JSON.stringify(stored.variants.map((v) => ({ width: v.width, height: v.height, path: v.path }))),
      alt: text.alt, credit: text.credit, created_at: now.toISOString(),
    })
  } catch (err) {
    await deleteImage(uploadsDir, stored.path).catch(() => 0) // no file without its row
    throw err
  }
}

async function ownedUpload(db: Kysely<DB>, actor: CurrentUser, uploadId: number) {
  const upload = await findUpload(db, uploadId)
  if (!upload) throw new NotFoundError('upload')
  if (upload.owner_id !== actor.id) throw new ForbiddenError('not the owner')
  return upload
}

/** The 32 hex digits every stored size of an image shares ('2026/11/<these>.webp'). */
function fileIdOf(storedPath: string): string {
  return /([0-9a-f]{32})\.[a-z]+$/.exec(storedPath)?.[1] ?? storedPath
}

/** Where the owner's image is shown (see findUploadUses); an image in use cannot be deleted. */
export async function imageUses(db: Kysely<DB>, actor: CurrentUser, uploadId: number) {
  return usesOf(db, actor, await ownedUpload(db, actor, uploadId))
}

async function usesOf(db: Kysely<DB>, actor: CurrentUser, upload: { id: number; path: string }) {
  const uses = await findUploadUses(db, upload.id, fileIdOf(upload.path))
  // Someone else's unpublished post is not the owner's to see: it counts, but is not named.
  const shown = uses.posts.filter((p) => p.status === 'published' || p.author_id === actor.id)
  return {
    posts: shown.map((p) => ({ title: p.title, href: `/posts/${encodeURIComponent(p.slug)}` })),
    elsewhere: uses.elsewhere || shown.length < uses.posts.length,
    deletable: uses.posts.length === 0 && !uses.elsewhere,
  }
}

/**
 * The owner deletes an image nothing shows: not a cover, not in any post's text or older version,
 * not in a comment (published texts stay whole for the archive). The row goes in a transaction with
 * the check; the files after it.
 */
export async function deleteUpload(db: Kysely<DB>, uploadsDir: string, actor: CurrentUser, uploadId: number): Promise<void> {
  const path = await db.transaction().execute(async (trx) => {
    const upload = await ownedUpload(trx, actor, uploadId)
    if (!(await usesOf(trx, actor, upload)).deletable) throw new ConflictError('image in use', 'uploads.delete.inUse')
    await deleteUploadRow(trx, uploadId)
    return upload.path
  })
  await deleteImage(uploadsDir, path)
}

/** The owner corrects the alt text or credit of an image. */
export async function updateImageText(db: Kysely<DB>, actor: CurrentUser, uploadId: number, raw: { alt?: string; credit?: string }) {
  await ownedUpload(db, actor, uploadId)
  const errors: FieldErrors = {}
  const text = validateImageText(raw, errors)
  if (Object.keys(errors).length) throw new InvalidError(errors)
  await updateUploadText(db, uploadId, text.alt, text.credit)
}
