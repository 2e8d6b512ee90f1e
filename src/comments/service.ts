// Comment rules: who comments where, one level of replies, editing for a while, deleting, closing a
// post's comments, and keeping posts.comment_count right in the same transaction as each change.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../errors.js'
import { isTooDeep } from '../markdown/nesting.js'
import { plainText, renderMarkdown } from '../markdown/index.js'
import { appendAuditEvent } from '../audit/chain.js'
import { checkPostingRate, checkText, requireActiveUser } from '../moderation/posting.js'
import { settleItemOf } from '../moderation/queries.js'
import { notify } from '../notifications/service.js'
import { snippet } from '../micro/text.js'
import { tellMentioned } from './mentions.js'
import { queueWebhooks } from '../webhooks/events.js'
import { tagNamesOfPost } from '../tags/service.js'
import {
  addToCommentCount, findComment, findPostForComments, insertComment, markCommentDeleted, setCommentHiddenColumns,
  setCommentsClosed, updateCommentBody, type CommentRow,
} from './queries.js'

export const COMMENT_MAX_CHARS = 2000
/** Authors may edit a comment this long after posting it. */
export const COMMENT_EDIT_MS = 15 * 60_000

/** The text as it will be stored: normalised, not empty, not too long, not nested too deeply. */
function checkComment(raw: string): string {
  const body = checkText(raw, COMMENT_MAX_CHARS, 'body', 'comment.body.tooLong')
  if (isTooDeep(body)) throw new InvalidError({ body: 'comment.body.tooDeep' })
  return body
}

export function isVisibleComment(c: { deleted_at: string | null; hidden_at: string | null }): boolean {
  return c.deleted_at === null && c.hidden_at === null
}

export function canStillEdit(c: { created_at: string }, now: Date): boolean {
  return now.getTime() - Date.parse(c.created_at) <= COMMENT_EDIT_MS
}

async function requireOpenPost(db: Kysely<DB>, postId: number) {
  const post = await findPostForComments(db, postId)
  if (!post || post.status !== 'published') throw new NotFoundError('post')
  if (post.comments_closed) throw new ConflictError('comments closed', 'comment.closed')
  return post
}

// A reply to a reply joins the same top-level comment (one level only); the one answered is the
// comment replied to, which must be visible (its thread's first comment may be a "deleted" marker).
async function requireParent(db: Kysely<DB>, postId: number, parentId: number): Promise<{ thread: CommentRow; answered: CommentRow }> {
  const answered = await findComment(db, parentId)
  if (!answered || answered.post_id !== postId) throw new NotFoundError('comment')
  if (!isVisibleComment(answered)) throw new ConflictError('reply to a deleted or hidden comment', 'comment.reply.unavailable')
  const thread = answered.parent_id ? await findComment(db, answered.parent_id) : answered
  if (!thread) throw new NotFoundError('comment')
  return { thread, answered }
}

/** Comments on a published post; returns the new comment's id and the post's slug. */
export async function postComment(
  db: Kysely<DB>, actor: CurrentUser, input: { postId: number; parentId?: number; body: string }, now = new Date(),
): Promise<{ id: number; slug: string }> {
  const body = checkComment(input.body)
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const post = await requireOpenPost(trx, input.postId)
    const replyTo = input.parentId ? await requireParent(trx, post.id, input.parentId) : undefined
    const parent = replyTo?.answered
    await checkPostingRate(trx, actor.id, { kind: 'comment', text: body }, now)
    const bodyHtml = renderMarkdown(body, 'comment')
    const id = await insertComment(trx, { postId: post.id, authorId: actor.id, parentId: replyTo?.thread.id ?? null, bodyMd: body, bodyHtml, now: iso })
    await addToCommentCount(trx, post.id, 1)
    await queueWebhooks(trx, { event: 'comment.created', subjectId: id, tags: () => tagNamesOfPost(trx, post.id) }, now)
    // The excerpt in notifications is what readers see, not the Markdown typed.
    const data = { title: post.title, slug: post.slug, snippet: snippet(plainText(bodyHtml)) }
    if (parent?.author_id) await notify(trx, parent.author_id, { kind: 'comment.reply', actorId: actor.id, subjectType: 'comment', subjectId: id, data }, now)
    if (post.author_id !== parent?.author_id) {
      await notify(trx, post.author_id, { kind: 'post.comment', actorId: actor.id, subjectType: 'comment', subjectId: id, data }, now)
    }
    // Those told above already know; the others named with @username are told they were mentioned.
    await tellMentioned(trx, actor.id, id, post, body, data.snippet, [parent?.author_id, post.author_id], now)
    return { id, slug: post.slug }
  })
}

/** The comment, if the actor may still edit it; throws otherwise. */
export async function editableComment(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<CommentRow> {
  const c = await findComment(db, id)
  if (!c || c.deleted_at) throw new NotFoundError('comment')
  if (c.author_id !== actor.id) throw new ForbiddenError('only the author edits a comment')
  if (c.hidden_at) throw new ConflictError('comment hidden', 'comment.edit.hidden')
  if (!canStillEdit(c, now)) throw new ConflictError('edit window passed', 'comment.edit.expired')
  return c
}

export async function editComment(db: Kysely<DB>, actor: CurrentUser, id: number, rawBody: string, now = new Date()): Promise<CommentRow> {
  const body = checkComment(rawBody)
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const c = await editableComment(trx, actor, id, now)
    if (c.body_md === body) return c
    const bodyHtml = renderMarkdown(body, 'comment')
    await updateCommentBody(trx, id, body, bodyHtml, now.toISOString())
    // Someone named only in the edited text is told now (within the comment's limit).
    const post = await findPostForComments(trx, c.post_id)
    const parent = c.parent_id ? await findComment(trx, c.parent_id) : undefined
    if (post) await tellMentioned(trx, actor.id, id, post, body, snippet(plainText(bodyHtml)), [post.author_id, parent?.author_id], now)
    return c
  })
}

/** The author deletes their comment; with replies it stays as a "deleted" marker. */
export async function deleteComment(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<CommentRow> {
  return db.transaction().execute(async (trx) => {
    const c = await findComment(trx, id)
    if (!c) throw new NotFoundError('comment')
    if (c.author_id !== actor.id) throw new ForbiddenError('only the author deletes a comment')
    if (c.deleted_at) return c
    const iso = now.toISOString()
    await markCommentDeleted(trx, id, iso)
    if (isVisibleComment(c)) await addToCommentCount(trx, c.post_id, -1)
    await settleItemOf(trx, 'comment', id, iso)
    return c
  })
}

/**
 * Hides a comment (hidden set) or shows it again (null), keeping posts.comment_count right. Called
 * by the moderation service, which checks the role and writes the audit entry in the same transaction.
 */
export async function setCommentHidden(db: Kysely<DB>, c: CommentRow, hidden: { at: string; by: number; reason: string } | null): Promise<void> {
  const wasVisible = isVisibleComment(c)
  await setCommentHiddenColumns(db, c.id, hidden)
  const nowVisible = c.deleted_at === null && hidden === null
  if (wasVisible !== nowVisible) await addToCommentCount(db, c.post_id, nowVisible ? 1 : -1)
}

export function mayCloseComments(actor: CurrentUser | null, post: { author_id: number }): boolean {
  return !!actor && (actor.isEditor || actor.id === post.author_id)
}

/** The post's author and editors close (or reopen) the comments of a post. Returns the post's slug. */
export async function setCommentsOpen(db: Kysely<DB>, actor: CurrentUser, postId: number, open: boolean): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const post = await findPostForComments(trx, postId)
    if (!post) throw new NotFoundError('post')
    if (!mayCloseComments(actor, post)) throw new ForbiddenError('only the author and editors close comments')
    if (!!post.comments_closed === !open) return post.slug
    await setCommentsClosed(trx, postId, !open)
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: open ? 'post.comments-open' : 'post.comments-close',
      subjectType: 'post', subjectId: postId, fromState: open ? 'closed' : 'open', toState: open ? 'open' : 'closed',
    })
    return post.slug
  })
}
