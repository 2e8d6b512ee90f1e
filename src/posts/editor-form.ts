// The editor form's fields, shared by the form routes and autosave: what is sent, what is kept when a
// page comes back, and what a conflicting save shows.
import { Type, type Static } from 'typebox'
import { diffContents } from '../editorial/diff.js'
import { splitTags } from './post.js'
import { parseTags } from './slug.js'
import type { PostInput } from './post.js'
import type { EditorValues } from './editor-view.js'
import type { EditConflictError } from './service.js'

// Generous limits: the service checks the real ones and answers beside the field, keeping the input.
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
export const EditorBody = Type.Object({
  title: Text(2000), slug: Text(500), lead: Text(10_000), body: Text(1_000_000), tags: Text(5000),
  coverUploadId: Text(20), imageAlt: Text(2000), imageCredit: Text(2000),
  // The revision the page was opened on (or last saved): a save based on an older one is refused.
  baseRevision: Text(20),
  action: Type.Optional(Type.Union([Type.Literal('save'), Type.Literal('preview'), Type.Literal('submit'), Type.Literal('upload')])),
  _csrf: Text(200),
})
export type EditorBodyT = Static<typeof EditorBody>

export function valuesOf(body: Partial<EditorBodyT>): EditorValues {
  return {
    title: body.title ?? '', slug: body.slug ?? '', lead: body.lead ?? '', body: body.body ?? '', tags: body.tags ?? '',
    coverUploadId: body.coverUploadId ?? '', imageAlt: body.imageAlt ?? '', imageCredit: body.imageCredit ?? '',
  }
}

export function toInput(v: EditorValues): PostInput {
  const cover = /^\d{1,12}$/.test(v.coverUploadId) ? Number(v.coverUploadId) : null
  return { title: v.title, slug: v.slug, lead: v.lead, body: v.body, tags: v.tags, coverUploadId: cover }
}

export function baseRevisionOf(body: Partial<EditorBodyT>): number | undefined {
  return body.baseRevision && /^\d{1,12}$/.test(body.baseRevision) ? Number(body.baseRevision) : undefined
}

/** Both versions of a refused save, and how they differ (the saved one → this one), for posts/conflict. */
export function conflictView(err: EditConflictError, mine: EditorValues, postId: number) {
  const c = err.current
  const theirs = { title: c.title, lead: c.lead, bodyMd: c.body_md, tags: splitTags(c.tags), coverUploadId: c.cover_upload_id }
  const yours = { title: mine.title, lead: mine.lead, bodyMd: mine.body, tags: parseTags(mine.tags).tags, coverUploadId: toInput(mine).coverUploadId }
  return {
    postId, revisionId: c.id, savedBy: c.saved_by ?? '', savedAt: c.created_at,
    theirs: { title: c.title, lead: c.lead, body: c.body_md, tags: splitTags(c.tags).join(', ') },
    yours: { title: mine.title, lead: mine.lead, body: mine.body, tags: mine.tags },
    diff: diffContents(theirs, yours),
  }
}
