// Who may see a post. Published posts: everyone who may see the site. Anything else (drafts,
// submitted, rejected, scheduled, withdrawn): only the author and the editors; for anyone else the
// post does not exist (404, never 403, so its existence does not leak).
import type { PostStatus } from '../db/schema.js'

export function canViewPost(post: { status: PostStatus; author_id: number }, viewer: { id: number; isEditor: boolean } | null): boolean {
  if (post.status === 'published') return true
  return viewer !== null && (viewer.id === post.author_id || viewer.isEditor)
}

/** May see the post's history, revisions and pending changes: the author and the editors. */
export function canViewHistory(post: { author_id: number }, viewer: { id: number; isEditor: boolean } | null): boolean {
  return viewer !== null && (viewer.id === post.author_id || viewer.isEditor)
}
