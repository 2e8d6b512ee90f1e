// Guidelines for use: the editors publish versions; before a person's first post, update or comment
// they accept the current version, and a new version asks again. Acceptances are kept with time and
// version, as a record.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, ForbiddenError, InvalidError } from '../errors.js'
import { renderMarkdown } from '../markdown/index.js'
import { appendAuditEvent } from '../audit/chain.js'
import { findCurrentVersionId, hasAccepted, insertAcceptance, insertVersion } from './queries.js'

export const GUIDELINES_MAX = 50_000

/** True when there are guidelines and this user has not accepted the current version. */
export async function needsGuidelinesAcceptance(db: Kysely<DB>, userId: number): Promise<boolean> {
  return (await guidelinesToAccept(db, userId)) !== undefined
}

/** The id of the current version when this user has yet to accept it: a form then asks for consent. */
export async function guidelinesToAccept(db: Kysely<DB>, userId: number): Promise<number | undefined> {
  const current = await findCurrentVersionId(db)
  if (current === undefined || (await hasAccepted(db, userId, current))) return undefined
  return current
}

/**
 * For the forms that publish (updates, comments, new posts): when the user has yet to accept the
 * current guidelines, the form's "I have read and accept" box, carrying the version it showed,
 * records the acceptance. Without it (or for a version replaced meanwhile) an InvalidError brings the
 * form back with its text and the box. Nothing to do when already accepted.
 */
export async function requireGuidelinesConsent(db: Kysely<DB>, user: CurrentUser, consent: string | undefined, now = new Date()): Promise<void> {
  const version = await guidelinesToAccept(db, user.id)
  if (version === undefined) return
  if (consent !== String(version)) throw new InvalidError({ acceptGuidelines: consent ? 'guidelines.outdated' : 'guidelines.consent.required' })
  await insertAcceptance(db, user.id, version, now.toISOString())
}

export async function acceptGuidelines(db: Kysely<DB>, user: CurrentUser, versionId: number, now = new Date()) {
  const current = await findCurrentVersionId(db)
  // Accepting an outdated version (a form left open while the editors published a new one) is refused.
  if (current !== versionId) throw new ConflictError('not the current version', 'guidelines.outdated')
  await insertAcceptance(db, user.id, versionId, now.toISOString())
}

export async function publishGuidelines(db: Kysely<DB>, actor: CurrentUser, input: { body: string; note: string }, now = new Date()) {
  if (!actor.isEditor) throw new ForbiddenError('editors maintain the guidelines')
  const body = input.body.replace(/\r\n/g, '\n').trim()
  const note = input.note.trim()
  if (!body) throw new InvalidError({ body: 'guidelines.body.required' })
  if (body.length > GUIDELINES_MAX) throw new InvalidError({ body: 'guidelines.body.tooLong' })
  if (note.length > 300) throw new InvalidError({ note: 'guidelines.note.tooLong' })
  return db.transaction().execute(async (trx) => {
    const id = await insertVersion(trx, { bodyMd: body, bodyHtml: renderMarkdown(body, 'post'), note, createdBy: actor.id, now: now.toISOString() })
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'guidelines.publish', subjectType: 'guidelines', subjectId: id, note: note || null,
    })
    return id
  })
}
