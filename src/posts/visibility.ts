// Who may see a post. Published posts: everyone who may see the site. A draft never sent for review
// is its author's own workspace: only the author. Anything else (submitted, changes requested,
// rejected, scheduled, withdrawn): the author and the editors. For anyone else the post does not
// exist (404, never 403, so its existence does not leak).
import type { PostStatus } from '../db/schema.js'

type Viewer = { id: number; isEditor: boolean } | null

/** An editor sees a post once it has left its author's desk. */
function editorSees(post: { status: PostStatus }, viewer: Viewer): boolean {
  return viewer !== null && viewer.isEditor && post.status !== 'draft'
}

export function canViewPost(post: { status: PostStatus; author_id: number }, viewer: Viewer): boolean {
  if (post.status === 'published') return true
  return (viewer !== null && viewer.id === post.author_id) || editorSees(post, viewer)
}

/** May see the post's history, revisions and pending changes: the author, and the editors as above. */
export function canViewHistory(post: { status: PostStatus; author_id: number }, viewer: Viewer): boolean {
  return (viewer !== null && viewer.id === post.author_id) || editorSees(post, viewer)
}

/**
 * The newest revision this viewer may see, when it is not the newest there is: a change to a
 * published post that its author has not yet sent for review is theirs alone, like a draft.
 */
export function lastVisibleRevision(
  post: { author_id: number; edit_status: PostStatus | null; published_revision_id: number | null }, viewer: Viewer,
): number | undefined {
  if (viewer !== null && viewer.id === post.author_id) return undefined
  return post.edit_status === 'draft' && post.published_revision_id !== null ? post.published_revision_id : undefined
}
