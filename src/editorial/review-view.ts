// View data of the queue and the review page.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { FieldErrors } from '../errors.js'
import type { Translate } from '../web/i18n/index.js'
import { checkContent } from '../posts/prepublish-checks.js'
import { editorialOf, loadVisiblePost } from '../posts/service.js'
import { findUserName } from '../posts/queries.js'
import { postPath } from '../posts/post.js'
import { lastVisibleRevision } from '../posts/visibility.js'
import { lastPublishedContent, revisionContent, rowContent, workingContent } from '../posts/working.js'
import { findRevisionByHash } from '../posts/queries.js'
import { markChanges } from '../markdown/index.js'
import { authorLink, tagLinks } from '../posts/view.js'
import { stateOf } from '../posts/editor-view.js'
import { findUpload, findUploadAlts } from '../uploads/queries.js'
import { imageView } from '../uploads/view.js'
import { diffContents } from './diff.js'
import { actionLabel } from './labels.js'
import { findLastDecision, listPostEvents } from './queries.js'
import { canApprove, reviewTarget } from './state-machine.js'
import type { QueueRow } from './queries.js'

export interface DecisionForm {
  values: { note: string; scheduleNote: string; publishAt: string }
  errors: FieldErrors
}

const HOUR = 3_600_000

/** "under an hour", "5 hours", "3 days": how long something has waited. */
export function waitedFor(t: Translate, sinceIso: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(sinceIso))
  if (ms < HOUR) return t('editorial.waited.lessThanHour')
  if (ms < 24 * HOUR) {
    const hours = Math.floor(ms / HOUR)
    return t('editorial.waited.hours', { n: hours })
  }
  const days = Math.floor(ms / (24 * HOUR))
  return t('editorial.waited.days', { n: days })
}

export function queueItem(t: Translate, r: QueueRow, now: Date) {
  const edit = r.edit_status === 'submitted'
  const html = (edit ? r.pending_body_html : r.body_html) ?? ''
  const findings = checkContent(html, (edit ? r.pending_body_md : r.body_md) ?? '')
  return {
    id: r.id, title: (edit ? r.pending_title : r.title) ?? r.title, author: authorLink(r.author_username, r.author_name),
    queuedAt: r.queued_at ?? '', waited: waitedFor(t, r.queued_at ?? now.toISOString(), now),
    kind: edit ? 'edit' : r.published_at ? 'republish' : 'new',
    serious: findings.filter((f) => f.severity === 'serious').length, warnings: findings.filter((f) => f.severity === 'warning').length,
  }
}

// A post sent back (changes requested, rejected) and sent again is compared with what the editors saw.
async function lastReviewed(app: FastifyInstance, postId: number) {
  const decision = await findLastDecision(app.db, postId)
  if (!decision?.content_hash || !['post.request-changes', 'post.reject'].includes(decision.action)) return undefined
  const rev = await findRevisionByHash(app.db, postId, decision.content_hash)
  return rev ? { at: decision.at, content: revisionContent(rev) } : undefined
}

export async function reviewPage(app: FastifyInstance, req: FastifyRequest, id: number, form?: DecisionForm) {
  const post = await loadVisiblePost(app.db, id, req.user)
  const p = editorialOf(post)
  const edit = reviewTarget(p) === 'edit'
  // A change its author has not sent yet is theirs alone: the editors see the live version.
  const unsent = lastVisibleRevision(post, req.user) !== undefined
  const [content, previous, author, events] = await Promise.all([
    unsent ? rowContent(app.db, post) : workingContent(app.db, post),
    // A change is compared with what readers see now; a post sent again with its last published version.
    edit ? rowContent(app.db, post) : lastPublishedContent(app.db, post),
    findUserName(app.db, post.author_id), listPostEvents(app.db, id, 20),
  ])
  const cover = content.coverUploadId === null ? undefined : await findUpload(app.db, content.coverUploadId)
  const reviewed = await lastReviewed(app, id)
  const base = reviewed?.content ?? previous
  const compared = base && base.revisionId !== content.revisionId ? base : undefined
  const diff = compared ? diffContents(compared, content, await findUploadAlts(app.db, [compared.coverUploadId, content.coverUploadId])) : undefined
  return {
    title: req.t('editorial.review.title', { title: content.title }),
    post: { id: post.id, url: postPath(post.slug), queued: post.queued_at !== null, queuedAt: post.queued_at, edit },
    state: stateOf(post),
    revisionId: content.revisionId,
    author: author ? authorLink(author.username, author.display_name) : undefined,
    waited: post.queued_at ? waitedFor(req.t, post.queued_at, new Date()) : undefined,
    mayApprove: canApprove(p, req.user, req.settings),
    findings: checkContent(content.bodyHtml, content.bodyMd),
    diff,
    // The post as it now reads, with what changed since the editors last saw it marked (or since publication).
    changes: compared && diff ? {
      sinceReview: compared === reviewed?.content ? reviewed.at : undefined,
      title: diff.find((f) => f.field === 'title'),
      lead: diff.find((f) => f.field === 'lead'),
      bodyChanged: compared.bodyMd !== content.bodyMd,
      html: markChanges(compared.bodyHtml, content.bodyHtml, { added: req.t('diff.added'), removed: req.t('diff.removed') }),
    } : undefined,
    article: {
      title: content.title, lead: content.lead, html: content.bodyHtml, cover: cover ? imageView(cover) : undefined,
      tags: tagLinks(content.tags), author: author ? authorLink(author.username, author.display_name) : undefined, level: 2,
    },
    notes: events.filter((e) => e.note).map((e) => ({ at: e.at, actor: e.actor_name, action: actionLabel(req.t, e.action), note: e.note })),
    form: form ?? { values: { note: '', scheduleNote: '', publishAt: '' }, errors: {} },
  }
}
