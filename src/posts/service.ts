// Writing posts: create, save (into the draft, as a pending change, or live), restore, delete.
// Every save keeps a revision. Rules of who may do what are in src/editorial/state-machine.ts.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, InvalidError, NotFoundError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { deriveLead, renderMarkdown } from '../markdown/index.js'
import { editMode, transition, type EditMode, type Rules } from '../editorial/state-machine.js'
import { syncPostTags } from '../tags/service.js'
import { findUpload } from '../uploads/queries.js'
import { slugify, uniqueSlug } from './slug.js'
import { contentHash, joinTags, RESERVED_SLUGS, validatePostInput, type PostContent, type PostInput } from './post.js'
import {
  deletePostRow, dropOldSlug, findPostById, findRevision, insertPost, insertRevision, keepOldSlug, listTakenSlugs,
  updatePost, type PostRow, type RevisionRow,
} from './queries.js'
import { canViewPost } from './visibility.js'
import { notify } from '../notifications/service.js'

export interface SaveResult {
  id: number
  mode: EditMode
  revisionId: number
}

/** A save based on a version that is no longer the latest (another tab, another person): refused. */
export class EditConflictError extends ConflictError {
  constructor(readonly current: RevisionRow & { saved_by: string | null }) {
    super('saved meanwhile from another version')
    this.name = 'EditConflictError'
  }
}

export interface SaveOptions {
  /** The revision the editor was opened on (or last saved); undefined: no check (old clients, restores). */
  baseRevisionId?: number
  /** An autosave: content equal to the latest version makes no new revision. */
  skipUnchanged?: boolean
}

/** The revision a save in this mode replaces: the pending change's, or the row's. Forms carry it back. */
export function editedRevisionId(post: PostRow, mode: EditMode): number | null {
  return mode === 'pending' ? post.edit_revision_id ?? post.revision_id : post.revision_id
}

export const auditActor = (u: CurrentUser) => ({ id: u.id, name: u.username })

/** The post if `viewer` may see it; otherwise NotFoundError, so its existence does not leak. */
export async function loadVisiblePost(db: Kysely<DB>, id: number, viewer: CurrentUser | null): Promise<PostRow> {
  const post = await findPostById(db, id)
  if (!post || !canViewPost(post, viewer)) throw new NotFoundError('post')
  return post
}

export async function createPost(db: Kysely<DB>, actor: CurrentUser, input: PostInput, now = new Date()): Promise<SaveResult> {
  return db.transaction().execute(async (trx) => {
    const prepared = await prepare(trx, actor, undefined, input, true)
    const iso = now.toISOString()
    const id = await insertPost(trx, { author_id: actor.id, ...rowFields(prepared), created_at: iso, updated_at: iso })
    const revisionId = await addRevision(trx, id, actor, prepared, iso)
    await updatePost(trx, id, { revision_id: revisionId })
    await syncPostTags(trx, id, prepared.tags, null)
    return { id, mode: 'row' as const, revisionId }
  })
}

export async function savePost(
  db: Kysely<DB>, actor: CurrentUser, postId: number, input: PostInput, rules: Rules, now = new Date(), restoredFrom?: number,
  opts: SaveOptions = {},
): Promise<SaveResult> {
  return db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const mode = editMode(editorialOf(post), actor, rules)
    const prepared = await prepare(trx, actor, post, input, !post.published_at || mode === 'live')
    const latestId = editedRevisionId(post, mode)
    const latest = latestId === null ? undefined : await findRevision(trx, postId, latestId)
    const unchanged = latest?.content_hash === prepared.hash
    // No silent overwrite: saving over a version this editor never saw is refused, unless it is the same text.
    if (opts.baseRevisionId !== undefined && latest && opts.baseRevisionId !== latest.id && !unchanged) throw new EditConflictError(latest)
    if (opts.skipUnchanged && unchanged && latest) return { id: postId, mode, revisionId: latest.id }
    const iso = now.toISOString()
    const revisionId = await addRevision(trx, postId, actor, prepared, iso, restoredFrom)
    if (mode === 'pending') {
      // The live row stays; the change waits for review. A rejected change is replaced by a new one.
      const editStatus = post.edit_status === 'changes_requested' ? 'changes_requested' : 'draft'
      await updatePost(trx, postId, { edit_revision_id: revisionId, edit_status: editStatus, updated_at: iso })
      return { id: postId, mode, revisionId }
    }
    await updatePost(trx, postId, { ...rowFields(prepared), revision_id: revisionId, updated_at: iso })
    if (prepared.slug !== post.slug) {
      if (post.published_at) await keepOldSlug(trx, post.slug, postId)
      await dropOldSlug(trx, prepared.slug)
    }
    const live = mode === 'live' && post.status === 'published'
    await syncPostTags(trx, postId, prepared.tags, live ? post.published_at : null)
    if (mode === 'live') {
      await updatePost(trx, postId, { published_revision_id: post.status === 'published' ? revisionId : post.published_revision_id })
      await appendAuditEvent(trx, {
        actor: auditActor(actor), action: 'post.edit', subjectType: 'post', subjectId: postId,
        fromState: post.status, toState: post.status, contentHash: prepared.hash, at: iso,
        note: prepared.slug !== post.slug ? `slug: ${post.slug} → ${prepared.slug}` : null,
      })
    }
    return { id: postId, mode, revisionId }
  })
}

/** Saves an old revision's content again, as a new revision (through the same rules as a save). */
export async function restoreRevision(db: Kysely<DB>, actor: CurrentUser, postId: number, revisionId: number, rules: Rules, now = new Date()) {
  await loadVisiblePost(db, postId, actor)
  const rev = await findRevision(db, postId, revisionId)
  if (!rev) throw new NotFoundError('revision')
  const input: PostInput = { title: rev.title, lead: rev.lead, body: rev.body_md, tags: rev.tags, coverUploadId: rev.cover_upload_id }
  return savePost(db, actor, postId, input, rules, now, rev.id)
}

/** The author gives up a pending change to a published post that is not under review. */
export async function discardPendingEdit(db: Kysely<DB>, actor: CurrentUser, postId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    if (post.author_id !== actor.id) throw new NotFoundError('post')
    if (!post.edit_status || post.edit_status === 'submitted') return
    await updatePost(trx, postId, { edit_revision_id: null, edit_status: null, updated_at: new Date().toISOString() })
  })
}

/** Deletes a post the actor may delete (its author, or an editor; a live post is withdrawn first). */
export async function deletePost(db: Kysely<DB>, actor: CurrentUser, postId: number, rules: Rules): Promise<{ authorId: number }> {
  return db.transaction().execute(async (trx) => {
    const post = await loadVisiblePost(trx, postId, actor)
    const step = transition(editorialOf(post), 'delete', actor, rules)
    await syncPostTags(trx, postId, [], null)
    await deletePostRow(trx, postId)
    await appendAuditEvent(trx, {
      actor: auditActor(actor), action: 'post.delete', subjectType: 'post', subjectId: postId,
      fromState: step.from, toState: step.to, note: post.title,
    })
    if (actor.id !== post.author_id) {
      // The post is gone: the notice links to the author's own list.
      await notify(trx, post.author_id, { kind: 'editorial.decision', actorId: actor.id, subjectType: 'post', subjectId: postId, data: { title: post.title, decision: 'deleted' } })
    }
    return { authorId: post.author_id }
  })
}

export function editorialOf(post: PostRow) {
  return { status: post.status, authorId: post.author_id, editStatus: post.edit_status }
}

interface Prepared extends PostContent {
  slug: string
  bodyHtml: string
  summary: string
  hash: string
}

async function prepare(db: Kysely<DB>, actor: CurrentUser, post: PostRow | undefined, input: PostInput, slugEditable: boolean): Promise<Prepared> {
  const { content, errors } = validatePostInput(input)
  if (content.coverUploadId !== null && content.coverUploadId !== post?.cover_upload_id) {
    const upload = await findUpload(db, content.coverUploadId)
    if (!upload || upload.owner_id !== actor.id) errors.coverUploadId = 'posts.cover.invalid'
  }
  let slug = post?.slug ?? ''
  if (slugEditable && !errors.slug && !errors.title) {
    const wanted = content.slug ?? slugify(content.title)
    const taken = await listTakenSlugs(db, wanted, post?.id)
    const isTaken = (s: string) => taken.has(s) || RESERVED_SLUGS.has(s)
    if (content.slug && content.slug !== post?.slug && isTaken(content.slug)) errors.slug = 'posts.slug.taken'
    else slug = content.slug && content.slug === post?.slug ? content.slug : uniqueSlug(wanted, isTaken)
  }
  if (Object.keys(errors).length) throw new InvalidError(errors)
  const bodyHtml = renderMarkdown(content.bodyMd, 'post')
  const summary = content.lead || deriveLead(bodyHtml)
  return { ...content, slug, bodyHtml, summary, hash: contentHash({ ...content, slug }) }
}

function rowFields(p: Prepared) {
  return {
    slug: p.slug, title: p.title, lead: p.lead, summary: p.summary, body_md: p.bodyMd, body_html: p.bodyHtml,
    cover_upload_id: p.coverUploadId,
  }
}

async function addRevision(db: Kysely<DB>, postId: number, actor: CurrentUser, p: Prepared, iso: string, restoredFrom?: number) {
  return insertRevision(db, {
    post_id: postId, author_id: actor.id, title: p.title, lead: p.lead, body_md: p.bodyMd, body_html: p.bodyHtml,
    tags: joinTags(p.tags), cover_upload_id: p.coverUploadId, slug: p.slug, content_hash: p.hash,
    restored_from: restoredFrom ?? null, created_at: iso,
  })
}

