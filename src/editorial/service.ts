// The editorial flow: submitting, deciding (publish now, schedule, request changes, reject),
// withdrawing, pinning, and publishing what fell due. One transaction per step, each with its audit
// entry (from/to state, note, SHA-256 of the exact content decided on) and its notification.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, InvalidError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { notify, notifyEditors } from '../notifications/service.js'
import { osloLocalToIso } from '../web/i18n/format.js'
import { checkContent } from '../posts/prepublish-checks.js'
import { cleanLine, cleanText } from '../posts/post.js'
import { auditActor, editorialOf, loadVisiblePost } from '../posts/service.js'
import { clearPins, findPostById, updatePost, type PostRow } from '../posts/queries.js'
import { rowContent, workingContent } from '../posts/working.js'
import { syncPostTags } from '../tags/service.js'
import { listDuePostIds } from './queries.js'
import { applyToRow } from './apply.js'
import { queueWebhooks } from '../webhooks/events.js'
import { addStewardship } from '../stewardship/service.js'
import { transition, type Decision, type Rules } from './state-machine.js'

export const MAX_NOTE = 2000
export const MAX_OVERRIDE_REASON = 500

export async function submitForReview(
  db: Kysely<DB>, actor: CurrentUser, postId: number, input: { overrideReason?: string }, rules: Rules, now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), 'submit', actor, rules)
    const content = await workingContent(trx, post)
    if (!content.bodyMd.trim()) throw new ConflictError('empty post', 'editorial.submit.empty')
    const serious = checkContent(content.bodyHtml, content.bodyMd).filter((f) => f.severity === 'serious')
    const reason = cleanLine(input.overrideReason)
    if (serious.length && !reason) throw new InvalidError({ overrideReason: 'editorial.override.required' })
    if (reason.length > MAX_OVERRIDE_REASON) throw new InvalidError({ overrideReason: 'editorial.override.tooLong' })
    const iso = now.toISOString()
    if (step.target === 'edit') await updatePost(trx, postId, { edit_status: 'submitted', queued_at: iso, updated_at: iso })
    else await updatePost(trx, postId, { status: 'submitted', submitted_at: iso, queued_at: iso, updated_at: iso })
    const codes = [...new Set(serious.map((f) => f.code))].join(', ')
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action: 'post.submit', subjectType: 'post', subjectId: postId, at: iso,
      fromState: step.from, toState: step.to, contentHash: content.hash, note: serious.length ? `override [${codes}]: ${reason}` : null,
    })
    await notifyEditors(trx, { kind: 'editorial.submitted', actorId: actor.id, subjectType: 'post', subjectId: postId, data: { title: content.title } }, actor.id)
  })
}

/** The author takes a submission back to keep working on it. */
export async function retractSubmission(db: Kysely<DB>, actor: CurrentUser, postId: number, rules: Rules, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), 'retract', actor, rules)
    const iso = now.toISOString()
    if (step.target === 'edit') await updatePost(trx, postId, { edit_status: 'draft', queued_at: null, updated_at: iso })
    else await updatePost(trx, postId, { status: 'draft', queued_at: null, updated_at: iso })
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action: 'post.retract', subjectType: 'post', subjectId: postId, at: iso, fromState: step.from, toState: step.to,
    })
  })
}

export interface DecisionInput {
  note?: string
  /** The revision the editor looked at; a different one now means the post changed meanwhile. */
  revisionId?: number
  /** For 'schedule': a datetime-local value in Oslo time. */
  publishAt?: string
}

const NOTE_REQUIRED: Decision[] = ['request-changes', 'reject']

export async function decide(
  db: Kysely<DB>, actor: CurrentUser, postId: number, decision: Decision, input: DecisionInput, rules: Rules, now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), decision, actor, rules)
    const content = await workingContent(trx, post)
    if (input.revisionId !== undefined && content.revisionId !== null && input.revisionId !== content.revisionId) {
      throw new ConflictError('changed while reviewed', 'editorial.changedMeanwhile')
    }
    const note = cleanText(input.note).trim()
    const iso = now.toISOString()
    const publishAt = decision === 'schedule' ? osloLocalToIso(input.publishAt ?? '') : undefined
    const errors: Record<string, 'editorial.note.required' | 'editorial.note.tooLong' | 'editorial.publishAt.invalid' | 'editorial.publishAt.past'> = {}
    if (NOTE_REQUIRED.includes(decision) && !note) errors.note = 'editorial.note.required'
    if (note.length > MAX_NOTE) errors.note = 'editorial.note.tooLong'
    if (decision === 'schedule' && !publishAt) errors.publishAt = 'editorial.publishAt.invalid'
    else if (publishAt && publishAt <= iso) errors.publishAt = 'editorial.publishAt.past'
    if (Object.keys(errors).length) throw new InvalidError(errors)

    const reviewed = { queued_at: null, review_note: note || null, review_note_at: iso, updated_at: iso }
    let to = step.to
    if (decision === 'publish' && step.target === 'edit') {
      await applyToRow(trx, post, content, post.status === 'published' ? post.published_at : null)
      await updatePost(trx, postId, { ...reviewed, ...(post.status === 'published' ? { published_revision_id: content.revisionId } : {}) })
    } else if (decision === 'publish') {
      const publishedAt = post.published_at ?? iso
      await publishRow(trx, post, publishedAt, content.tags, iso)
      await updatePost(trx, postId, reviewed)
    } else if (decision === 'schedule') {
      await updatePost(trx, postId, { ...reviewed, status: 'scheduled', scheduled_at: publishAt! })
      to = `scheduled@${publishAt}`
    } else if (step.target === 'edit') {
      await updatePost(trx, postId, { ...reviewed, edit_status: decision === 'reject' ? 'rejected' : 'changes_requested' })
    } else {
      await updatePost(trx, postId, { ...reviewed, status: decision === 'reject' ? 'rejected' : 'changes_requested' })
    }
    const action = decision === 'publish' && step.target === 'edit' ? 'post.approve' : `post.${decision}`
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action, subjectType: 'post', subjectId: postId, at: iso,
      fromState: step.from, toState: to, note: note || null, contentHash: content.hash,
    })
    await tellAuthor(trx, post, actor, content.title, decision)
  })
}

/** An editor unpublishes a post (or cancels its schedule). A pending change becomes the working copy. */
export async function withdrawPost(db: Kysely<DB>, actor: CurrentUser, postId: number, noteRaw: string, rules: Rules, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), 'withdraw', actor, rules)
    const note = cleanText(noteRaw).trim()
    if (note.length > MAX_NOTE) throw new InvalidError({ note: 'editorial.note.tooLong' })
    const iso = now.toISOString()
    const live = await rowContent(trx, post)
    const working = await workingContent(trx, post)
    await applyToRow(trx, post, working, null)
    await updatePost(trx, postId, {
      status: 'withdrawn', scheduled_at: null, pinned_at: null, queued_at: null, review_note: note || null, review_note_at: iso, updated_at: iso,
    })
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action: 'post.withdraw', subjectType: 'post', subjectId: postId, at: iso,
      fromState: step.from, toState: step.to, note: note || null, contentHash: live.hash,
    })
    await tellAuthor(trx, post, actor, live.title, 'withdraw')
  })
}

/** Pins a published post to the top of the front page (one at a time), or unpins it. */
export async function setPinned(db: Kysely<DB>, actor: CurrentUser, postId: number, pinned: boolean, rules: Rules, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), pinned ? 'pin' : 'unpin', actor, rules)
    if (pinned) await clearPins(trx)
    await updatePost(trx, postId, { pinned_at: pinned ? now.toISOString() : null })
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action: pinned ? 'post.pin' : 'post.unpin', subjectType: 'post', subjectId: postId,
      fromState: step.from, toState: step.to, at: now.toISOString(),
    })
  })
}

/** Publishes scheduled posts whose time has come (the scheduler calls this, also right at start-up). */
export async function publishDuePosts(db: Kysely<DB>, now = new Date()): Promise<number> {
  const iso = now.toISOString()
  let published = 0
  for (const id of await listDuePostIds(db, iso, 100)) {
    const done = await db.transaction().execute(async (trx) => {
      const post = await findPostById(trx, id)
      // Re-read inside the transaction: an editor may have withdrawn it meanwhile.
      if (!post || post.status !== 'scheduled' || !post.scheduled_at || post.scheduled_at > iso) return false
      const step = transition(editorialOf(post), 'publish', null, { fourEyes: true })
      const content = await rowContent(trx, post)
      await publishRow(trx, post, post.published_at ?? post.scheduled_at, content.tags, iso)
      await appendAuditEvent(trx, {
        actor: null, action: 'post.publish', subjectType: 'post', subjectId: id, at: iso,
        fromState: step.from, toState: step.to, contentHash: content.hash,
      })
      return true
    })
    if (done) published++
  }
  return published
}

async function publishRow(db: Kysely<DB>, post: PostRow, publishedAt: string, tags: string[], iso: string) {
  await updatePost(db, post.id, {
    status: 'published', published_at: publishedAt, scheduled_at: null, queued_at: null, published_revision_id: post.revision_id,
    updated_at: iso,
  })
  await syncPostTags(db, post.id, tags, publishedAt)
  await addStewardship(db, post, publishedAt)
  await queueWebhooks(db, { event: 'post.published', subjectId: post.id, tags, version: post.revision_id ?? 0 }, new Date(iso))
}

async function tellAuthor(db: Kysely<DB>, post: PostRow, actor: CurrentUser, title: string, decision: Decision | 'withdraw') {
  if (actor.id === post.author_id) return
  await notify(db, post.author_id, { kind: 'editorial.decision', actorId: actor.id, subjectType: 'post', subjectId: post.id, data: { title, decision } })
}
