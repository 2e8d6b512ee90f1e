// Profile rules: the person themselves or an administrator edits unit, title, presentation and
// picture; an administrator's change to someone else's profile goes into the audit trail. A picture
// goes through the upload pipeline (src/uploads: sniffed, decoded, re-encoded without metadata),
// cropped square in every size of AVATAR_SIZES; a replaced or removed picture's files are deleted.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ForbiddenError, InvalidError, NotFoundError, type FieldErrors } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { cleanLine } from '../posts/post.js'
import { normaliseText } from '../users/validate.js'
import { ImageRejectedError } from '../uploads/image-process.js'
import { REJECTION_MESSAGES } from '../uploads/service.js'
import { looksLikeSvg, processSquare } from '../uploads/image-fit.js'
import { deleteImage, saveImage } from '../uploads/storage.js'
import type { ReceivedFile } from '../uploads/multipart.js'
import { AVATAR_SIZES } from './avatar.js'
import { findProfileById, updateAvatarPath, updateProfileText } from './queries.js'

export const MAX_UNIT = 100
export const MAX_JOB_TITLE = 100
export const MAX_BIO = 1000

export function mayEditProfile(actor: CurrentUser | null, userId: number): boolean {
  return !!actor && (actor.id === userId || actor.isAdmin)
}

async function editableProfile(db: Kysely<DB>, actor: CurrentUser, userId: number) {
  if (!mayEditProfile(actor, userId)) throw new ForbiddenError('not your profile')
  const person = await findProfileById(db, userId)
  if (!person) throw new NotFoundError('user')
  return person
}

/** Someone else's profile changed by an administrator: who, what (not the text itself). */
function auditOthers(db: Kysely<DB>, actor: CurrentUser, userId: number, action: string, note?: string) {
  if (actor.id === userId) return Promise.resolve()
  return appendAuditEvent(db, { actor: { id: actor.id, name: actor.username }, action, subjectType: 'user', subjectId: userId, note })
}

export interface ProfileText { unit: string; jobTitle: string; bio: string }

export function validateProfileText(raw: Partial<ProfileText>, errors: FieldErrors): ProfileText {
  const v = { unit: cleanLine(raw.unit), jobTitle: cleanLine(raw.jobTitle), bio: normaliseText(raw.bio).replace(/\r\n?/g, '\n') }
  if ([...v.unit].length > MAX_UNIT) errors.unit = 'profiles.unit.tooLong'
  if ([...v.jobTitle].length > MAX_JOB_TITLE) errors.jobTitle = 'profiles.jobTitle.tooLong'
  if ([...v.bio].length > MAX_BIO) errors.bio = 'user.bio.tooLong'
  return v
}

export async function saveProfileText(db: Kysely<DB>, actor: CurrentUser, userId: number, raw: Partial<ProfileText>, now = new Date()) {
  await editableProfile(db, actor, userId)
  const errors: FieldErrors = {}
  const v = validateProfileText(raw, errors)
  if (Object.keys(errors).length) throw new InvalidError(errors)
  await db.transaction().execute(async (trx) => {
    await updateProfileText(trx, userId, v, now.toISOString())
    await auditOthers(trx, actor, userId, 'user.profile')
  })
}

/** Stores a new picture (InvalidError on field `picture` if it is not one we take) and deletes the old files. */
export async function setProfilePicture(db: Kysely<DB>, uploadsDir: string, actor: CurrentUser, userId: number, file: ReceivedFile | undefined, now = new Date()) {
  await editableProfile(db, actor, userId)
  if (!file) throw new InvalidError({ picture: 'uploads.image.required' })
  if (file.truncated) throw new InvalidError({ picture: 'uploads.image.tooLarge' })
  if (looksLikeSvg(file.data)) throw new InvalidError({ picture: 'profiles.picture.svg' })
  let processed
  try {
    processed = await processSquare(file.data, AVATAR_SIZES)
  } catch (err) {
    if (err instanceof ImageRejectedError) throw new InvalidError({ picture: REJECTION_MESSAGES[err.code] })
    throw err
  }
  const stored = await saveImage(uploadsDir, processed, { now })
  let old: string | null
  try {
    old = await db.transaction().execute(async (trx) => {
      const before = (await findProfileById(trx, userId))!.avatar_path
      await updateAvatarPath(trx, userId, stored.path, now.toISOString())
      await auditOthers(trx, actor, userId, 'user.picture', 'set')
      return before
    })
  } catch (err) {
    await deleteImage(uploadsDir, stored.path).catch(() => 0) // no file without its owner
    throw err
  }
  if (old) await deleteImage(uploadsDir, old).catch(() => 0)
}

export async function removeProfilePicture(db: Kysely<DB>, uploadsDir: string, actor: CurrentUser, userId: number, now = new Date()) {
  const person = await editableProfile(db, actor, userId)
  if (!person.avatar_path) return
  await db.transaction().execute(async (trx) => {
    await updateAvatarPath(trx, userId, null, now.toISOString())
    await auditOthers(trx, actor, userId, 'user.picture', 'removed')
  })
  await deleteImage(uploadsDir, person.avatar_path).catch(() => 0)
}
