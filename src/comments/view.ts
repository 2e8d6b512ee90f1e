// The comment section of a post page: plain view data for views/comments/section.eta. The posts
// feature calls commentsView(db, post, viewer) and includes the template with `it.comments` set.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { guidelinesToAccept } from '../guidelines/service.js'
import { canStillEdit, COMMENT_EDIT_MS, COMMENT_MAX_CHARS, mayCloseComments } from './service.js'
import { listReplies, listTopLevel, type CommentListRow } from './queries.js'
import { avatarOf, type AvatarView } from '../profiles/avatar.js'

export interface CommentablePost { id: number; author_id: number; comments_closed: number; comment_count: number; slug: string }

export interface CommentView {
  id: number
  /** Whose it is (their own comment shows edit and delete; a page shared by readers is not theirs). */
  authorId: number | null
  author: { name: string | null; username: string | null; avatar?: AvatarView }
  /** Stored sanitized HTML (src/markdown); null when the viewer sees a marker instead. */
  html: string | null
  state: 'visible' | 'deleted' | 'hidden'
  /** The editors' reason, for the author and the editors. */
  hiddenReason: string | null
  createdAt: string
  editedAt: string | null
  can: { edit: boolean; delete: boolean; reply: boolean; report: boolean; hide: boolean; restore: boolean }
  replies: CommentView[]
  /** In a page shared by everyone of the viewer's roles: the comment as its author sees it (see ownViews, src/web/shared-page.ts). */
  ownView?: CommentView
}

export interface CommentsView {
  postId: number
  count: number
  closed: boolean
  items: CommentView[]
  canComment: boolean
  slug: string
  loggedIn: boolean
  /** The post's author and editors may close and reopen the comments. */
  canClose: boolean
  /** The guidelines version the viewer has yet to accept (the form asks), if any. */
  needsGuidelines: number | undefined
  maxChars: number
  /** More top-level comments than shown: the rest are on /comments/posts/:postId?after=<id>. */
  moreAfter: number | undefined
  /** With ownViews: when the first of the authors' edit links goes (their time to edit is up), in ms. */
  editsEnd: number | undefined
  form: { values: { body: string }; errors: Record<string, string> }
}

/** Top-level comments shown on a post page; the rest are on the post's comment pages. */
export const COMMENTS_PAGE = 100

/**
 * `known.needsGuidelines`: the viewer's guidelines to accept, when the caller has looked already.
 * `ownViews`: the viewer stands for everyone of their roles (a shared page): each comment comes with
 * its author's view too.
 */
export async function commentsView(
  db: Kysely<DB>, post: CommentablePost, viewer: CurrentUser | null, known?: { needsGuidelines: number | undefined }, { ownViews = false } = {},
): Promise<CommentsView> {
  const page = await commentPage(db, post.id, viewer, COMMENTS_PAGE, { ownViews })
  return {
    postId: post.id,
    count: post.comment_count,
    closed: !!post.comments_closed,
    items: page.items,
    canComment: !!viewer && !post.comments_closed,
    slug: post.slug,
    loggedIn: !!viewer,
    canClose: mayCloseComments(viewer, post),
    needsGuidelines: known ? known.needsGuidelines : viewer && !post.comments_closed ? await guidelinesToAccept(db, viewer.id) : undefined,
    maxChars: COMMENT_MAX_CHARS,
    moreAfter: page.moreAfter,
    editsEnd: page.editsEnd,
    form: { values: { body: '' }, errors: {} },
  }
}

/** One page of a post's comments with their replies (keyset after a top-level comment id); `ownViews`: as commentsView. */
export async function commentPage(
  db: Kysely<DB>, postId: number, viewer: CurrentUser | null, limit: number, { after, now = new Date(), ownViews = false }: { after?: number; now?: Date; ownViews?: boolean } = {},
) {
  const rows = await listTopLevel(db, postId, limit, after)
  const top = rows.slice(0, limit)
  const replies = await listReplies(db, top.map((r) => r.id))
  const byParent = new Map<number, CommentListRow[]>()
  for (const r of replies) {
    if (r.deleted_at) continue // a deleted reply leaves nothing behind
    byParent.set(r.parent_id!, [...(byParent.get(r.parent_id!) ?? []), r])
  }
  let editsEnd: number | undefined
  const view = (row: CommentListRow, topLevel: boolean): CommentView => {
    const v = toCommentView(row, viewer, now, topLevel)
    if (!ownViews || !viewer || row.author_id === null) return v
    v.ownView = toCommentView(row, { ...viewer, id: row.author_id }, now, topLevel)
    if (v.ownView.can.edit) editsEnd = Math.min(editsEnd ?? Infinity, Date.parse(row.created_at) + COMMENT_EDIT_MS + 1)
    return v
  }
  const items = top
    // A deleted comment stays as a marker only while it has replies to hold together.
    .filter((r) => !r.deleted_at || byParent.has(r.id))
    .map((r) => ({ ...view(r, true), replies: (byParent.get(r.id) ?? []).map((x) => view(x, false)) }))
  return { items, moreAfter: rows.length > limit ? top[top.length - 1]?.id : undefined, editsEnd }
}

export function toCommentView(row: CommentListRow, viewer: CurrentUser | null, now: Date, topLevel: boolean): CommentView {
  const state = row.deleted_at ? 'deleted' : row.hidden_at ? 'hidden' : 'visible'
  const own = !!viewer && viewer.id === row.author_id
  const editor = !!viewer?.isEditor
  const seesHidden = state === 'hidden' && (own || editor)
  return {
    id: row.id,
    authorId: row.author_id,
    author: { name: row.display_name ?? row.author_name, username: row.username, avatar: avatarOf(row.display_name ?? row.author_name ?? '', row.avatar_path) },
    html: state === 'visible' || seesHidden ? row.body_html : null,
    state,
    hiddenReason: seesHidden ? row.hidden_reason : null,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    can: {
      edit: own && state === 'visible' && canStillEdit(row, now),
      delete: own && state !== 'deleted',
      reply: !!viewer && topLevel && state === 'visible',
      report: !!viewer && !own && state === 'visible',
      hide: editor && state === 'visible',
      restore: editor && state === 'hidden',
    },
    replies: [],
  }
}
