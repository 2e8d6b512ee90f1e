// The comment section of a post page. (Interface fixed for the posts feature; the comments feature
// fills it in.) Returns plain view data for views/comments/section.eta.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'

export interface CommentablePost { id: number; author_id: number; comments_closed: number; comment_count: number; slug: string }

export interface CommentsView {
  postId: number
  count: number
  closed: boolean
  items: unknown[]
  canComment: boolean
}

export async function commentsView(db: Kysely<DB>, post: CommentablePost, viewer: CurrentUser | null): Promise<CommentsView> {
  void db
  return { postId: post.id, count: post.comment_count, closed: !!post.comments_closed, items: [], canComment: !!viewer && !post.comments_closed }
}
