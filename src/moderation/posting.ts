// The rules every update and comment passes before it is saved: a live account, clean text of a
// sensible length, no flood (rate limit per user) and no identical repeat. Shared by micro and
// comments; called inside the transaction that saves, so two quick requests cannot both slip through.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { ForbiddenError, InvalidError, type FieldErrors } from '../errors.js'
import type { MessageKey } from '../web/i18n/index.js'
import { findUserById } from '../users/queries.js'
import { graphemeLength, hasControlChars, isBlank, normaliseText } from '../micro/text.js'
import { countRecentComments, countRecentMicroPosts, hasRecentDuplicate } from './queries.js'

/** At most this many updates and comments together per user and window. */
export const POSTING_LIMIT = { max: 10, windowMs: 60_000 }
/** The same text by the same author within this window is refused as a repeat. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000

/** A flood: the form comes back with 429 and a message beside the text. */
export class RateLimitedError extends Error {
  readonly statusCode = 429
  readonly fields: FieldErrors = { body: 'posting.rateLimited' }
  constructor() {
    super('posting rate limit reached')
    this.name = 'RateLimitedError'
  }
}

/**
 * Normalises and checks a text field; returns the text to store or throws InvalidError on `field`.
 * Length is counted in graphemes, as a person counts characters.
 */
export function checkText(raw: string, max: number, field: string, tooLong: MessageKey, required: MessageKey = 'posting.required'): string {
  const text = normaliseText(raw)
  if (isBlank(text)) throw new InvalidError({ [field]: required })
  if (hasControlChars(text)) throw new InvalidError({ [field]: 'posting.control' })
  if (graphemeLength(text) > max) throw new InvalidError({ [field]: tooLong })
  return text
}

/** Deactivated accounts cannot post, like or report (their sessions end too; this is the lock). */
export async function requireActiveUser(db: Kysely<DB>, userId: number): Promise<void> {
  const user = await findUserById(db, userId)
  if (!user || !user.is_active) throw new ForbiddenError('account deactivated')
}

export async function checkPostingRate(
  db: Kysely<DB>,
  userId: number,
  repeat: { kind: 'micro' | 'comment'; text: string },
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - POSTING_LIMIT.windowMs).toISOString()
  const recent = (await countRecentMicroPosts(db, userId, since)) + (await countRecentComments(db, userId, since))
  if (recent >= POSTING_LIMIT.max) throw new RateLimitedError()
  const dupSince = new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString()
  if (await hasRecentDuplicate(db, repeat.kind, userId, repeat.text, dupSince)) {
    throw new InvalidError({ body: 'posting.duplicate' })
  }
}
