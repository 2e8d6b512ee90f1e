// Microblog rules: posting updates and replies, likes, deleting one's own update, and what changes
// when an update stops (or starts again) being visible. Each action is one transaction.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import { checkPostingRate, checkText, requireActiveUser } from '../moderation/posting.js'
import { settleItemOf } from '../moderation/queries.js'
import { notify, withdrawFromNotification } from '../notifications/service.js'
import { MICRO_MAX_CHARS, mentionCandidates, renderMicroHtml, resolvedMentions, snippet, tagsOf } from './text.js'
import { queueWebhooks } from '../webhooks/events.js'
import {
  addToLikeCount, addToReplyCount, deleteLike, findExistingUsernames, findMicro, insertLike, insertMicro,
  linkMicroTags, markMicroDeleted, setMicroHidden, setRootToSelf, unlinkMicroTags, upsertTags, type MicroRow,
} from './queries.js'

export function isVisible(m: { deleted_at: string | null; hidden_at: string | null }): boolean {
  return m.deleted_at === null && m.hidden_at === null
}

/** Posts an update, or a reply to `replyToId`. Returns the new update's id. */
export async function postUpdate(
  db: Kysely<DB>, actor: CurrentUser, input: { body: string; replyToId?: number }, now = new Date(),
): Promise<number> {
  const body = checkText(input.body, MICRO_MAX_CHARS, 'body', 'micro.body.tooLong')
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const parent = input.replyToId ? await requireReplyTarget(trx, input.replyToId) : undefined
    await checkPostingRate(trx, actor.id, { kind: 'micro', text: body }, now)

    const mentioned = await findExistingUsernames(trx, mentionCandidates(body))
    const existing = new Set(mentioned.map((u) => u.username))
    const id = await insertMicro(trx, {
      authorId: actor.id, body, bodyHtml: renderMicroHtml(body, existing), replyToId: parent?.id ?? null,
      rootId: parent ? (parent.root_id ?? parent.id) : null, now: iso,
    })
    if (!parent) await setRootToSelf(trx, id)
    else await addToReplyCount(trx, parent.id, 1)
    const tags = tagsOf(body)
    await linkMicroTags(trx, id, await upsertTags(trx, tags), iso)
    if (tags.length) await queueWebhooks(trx, { event: 'update.tagged', subjectId: id, tags }, now)

    const data = { snippet: snippet(body) }
    if (parent) await notify(trx, parent.author_id, { kind: 'micro.reply', actorId: actor.id, subjectType: 'micro', subjectId: id, data }, now)
    const names = new Set(resolvedMentions(body, existing))
    for (const u of mentioned) {
      if (!names.has(u.username) || u.id === parent?.author_id) continue
      await notify(trx, u.id, { kind: 'mention', actorId: actor.id, subjectType: 'micro', subjectId: id, data }, now)
    }
    return id
  })
}

async function requireReplyTarget(db: Kysely<DB>, id: number): Promise<MicroRow> {
  const parent = await findMicro(db, id)
  if (!parent) throw new NotFoundError('update')
  if (!isVisible(parent)) throw new ConflictError('reply to a deleted or hidden update', 'micro.reply.unavailable')
  return parent
}

/** Likes the update, or takes the like back. Returns whether the user now likes it. */
export async function toggleLike(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const m = await findMicro(trx, id)
    if (!m) throw new NotFoundError('update')
    const like = { kind: 'micro.like', actorId: actor.id, subjectType: 'micro', subjectId: id, data: { snippet: snippet(m.body) } } as const
    if (await deleteLike(trx, id, actor.id)) {
      await addToLikeCount(trx, id, -1)
      await withdrawFromNotification(trx, m.author_id, like)
      return false
    }
    if (!isVisible(m)) throw new ConflictError('like on a deleted or hidden update', 'micro.like.unavailable')
    await insertLike(trx, id, actor.id, now.toISOString())
    await addToLikeCount(trx, id, 1)
    await notify(trx, m.author_id, like, now)
    return true
  })
}

/** The author deletes their update. It stays in its thread as a "deleted" marker. */
export async function deleteUpdate(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const m = await findMicro(trx, id)
    if (!m) throw new NotFoundError('update')
    if (m.author_id !== actor.id) throw new ForbiddenError('only the author deletes an update')
    if (m.deleted_at) return
    const iso = now.toISOString()
    if (isVisible(m)) await visibilityChanged(trx, m, false)
    await markMicroDeleted(trx, id, iso)
    await settleItemOf(trx, 'micro', id, iso)
  })
}

/**
 * Hides an update (hidden set) or shows it again (null), keeping the counts right. Called by the
 * moderation service, which checks the role and writes the audit entry in the same transaction.
 */
export async function setUpdateHidden(db: Kysely<DB>, m: MicroRow, hidden: { at: string; by: number; reason: string } | null): Promise<void> {
  const wasVisible = isVisible(m)
  await setMicroHidden(db, m.id, hidden)
  const nowVisible = m.deleted_at === null && hidden === null
  if (wasVisible !== nowVisible) await visibilityChanged(db, m, nowVisible)
}

// An update that (dis)appears changes its parent's reply count and its tags' counts; micro_tags
// links visible updates only, so the tag archive needs no extra filter.
async function visibilityChanged(db: Kysely<DB>, m: MicroRow, visible: boolean): Promise<void> {
  if (m.reply_to_id) await addToReplyCount(db, m.reply_to_id, visible ? 1 : -1)
  if (visible) await linkMicroTags(db, m.id, await upsertTags(db, tagsOf(m.body)), m.created_at)
  else await unlinkMicroTags(db, m.id)
}
