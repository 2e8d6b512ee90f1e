// The data of the editor page and of its previews.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { renderMarkdown } from '../markdown/index.js'
import { editMode, type EditMode } from '../editorial/state-machine.js'
import { listUploadsOf, findUpload } from '../uploads/queries.js'
import { imageView } from '../uploads/view.js'
import { checkContent } from './prepublish-checks.js'
import { cleanLine, cleanText, postPath, type PostInput } from './post.js'
import { parseTags } from './slug.js'
import { editedRevisionId, editorialOf, loadVisiblePost } from './service.js'
import { authorLink, tagLinks } from './view.js'
import { workingContent } from './working.js'
import type { PostRow } from './queries.js'

export interface EditorValues {
  title: string
  slug: string
  lead: string
  body: string
  tags: string
  coverUploadId: string
  imageAlt: string
  imageCredit: string
}

const EMPTY: EditorValues = { title: '', slug: '', lead: '', body: '', tags: '', coverUploadId: '', imageAlt: '', imageCredit: '' }
const COVER_CHOICES = 50
const INSERT_CHOICES = 12

export function stateOf(post: PostRow, mode?: EditMode) {
  return {
    id: post.id, url: postPath(post.slug), status: post.status, editStatus: post.edit_status, mode,
    reviewNote: post.review_note, reviewNoteAt: post.review_note_at, scheduledAt: post.scheduled_at,
  }
}

/** Throws (ConflictError, ForbiddenError, NotFoundError) when the user may not edit the post now. */
export async function editorPage(
  app: FastifyInstance, req: FastifyRequest, postId: number | undefined,
  opts: { values?: EditorValues; notice?: string; uploadedId?: number; baseRevision?: number } = {},
) {
  const user = req.user!
  const post = postId === undefined ? undefined : await loadVisiblePost(app.db, postId, user)
  const mode = post ? editMode(editorialOf(post), user, req.settings) : undefined
  const working = post ? await workingContent(app.db, post) : undefined
  const uploads = await listUploadsOf(app.db, user.id, undefined, COVER_CHOICES)
  const coverOptions = [
    { value: '', label: req.t('posts.field.cover.none') },
    ...uploads.slice(0, COVER_CHOICES).map((u) => ({ value: String(u.id), label: u.alt || `#${u.id}` })),
  ]
  const cover = working?.coverUploadId
  if (cover && !uploads.some((u) => u.id === cover)) coverOptions.splice(1, 0, { value: String(cover), label: req.t('posts.field.cover.current') })
  const values = opts.values ?? (working
    ? { ...EMPTY, title: working.title, slug: working.slug, lead: working.lead, body: working.bodyMd, tags: working.tags.join(', '), coverUploadId: cover ? String(cover) : '' }
    : EMPTY)
  const uploaded = uploads.find((u) => u.id === opts.uploadedId)
  return {
    title: post ? req.t('posts.edit.title') : req.t('posts.new.title'),
    post: post ? stateOf(post, mode) : null,
    action: post ? `/posts/${post.id}/edit` : '/posts/new',
    slugEditable: !post || !post.published_at || mode === 'live',
    images: uploads.slice(0, INSERT_CHOICES).map(imageView),
    uploaded: uploaded ? imageView(uploaded) : undefined,
    coverOptions, notice: opts.notice,
    // The version this page edits; a save based on an older one is refused (src/posts/service.ts).
    baseRevision: opts.baseRevision ?? (post && mode ? editedRevisionId(post, mode) : null),
    // Drafts and pending changes save themselves (JavaScript); a live edit is published only by a person.
    autosave: !post || mode !== 'live',
    autosaveUrl: post ? `/posts/${post.id}/autosave` : '/posts/new/autosave',
    uploadLimitMb: Math.round((app.config.uploadLimitBytes / 1024 / 1024) * 10) / 10,
    form: { values, errors: {} },
  }
}

/** The post as it would look, with the pre-publish checks of exactly this text. */
export async function previewOf(app: FastifyInstance, req: FastifyRequest, input: PostInput) {
  const body = cleanText(input.body)
  const html = renderMarkdown(body, 'post')
  const upload = input.coverUploadId === null ? undefined : await findUpload(app.db, input.coverUploadId)
  const user = req.user!
  return {
    article: {
      title: cleanLine(input.title) || req.t('posts.untitled'), lead: cleanLine(input.lead), html,
      cover: upload && (upload.owner_id === user.id || user.isEditor) ? imageView(upload) : undefined,
      tags: tagLinks(parseTags(input.tags).tags), author: authorLink(user.username, user.displayName), level: 2,
    },
    findings: checkContent(html, body),
  }
}
