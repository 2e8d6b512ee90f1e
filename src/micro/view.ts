// Rows → what the update template shows, for one viewer. What a viewer may do is shown here and
// checked again by the services.
import type { CurrentUser } from '../users/user.js'
import type { MicroRow, TimelineRow } from './queries.js'
import { avatarOf, type AvatarView } from '../profiles/avatar.js'

export interface MicroView {
  id: number
  authorId: number
  author: { username: string; displayName: string; avatar?: AvatarView }
  /** Stored safe HTML (src/micro/text.ts); null when the viewer sees a marker instead. */
  html: string | null
  state: 'visible' | 'deleted' | 'hidden'
  /** The editors' reason, for the author and the editors. */
  hiddenReason: string | null
  createdAt: string
  replyTo: { id: number; username: string | null } | null
  rootId: number
  likeCount: number
  replyCount: number
  liked: boolean
  bookmarked: boolean
  can: { like: boolean; reply: boolean; delete: boolean; report: boolean; hide: boolean; restore: boolean; bookmark: boolean }
}

/** `marks`: the viewer's like and bookmark, when the row does not carry them (a timeline row). */
export function toMicroView(
  row: TimelineRow & Partial<Pick<MicroRow, 'liked' | 'bookmarked'>>, viewer: CurrentUser | null,
  marks = { liked: !!row.liked, bookmarked: !!row.bookmarked },
): MicroView {
  const state = row.deleted_at ? 'deleted' : row.hidden_at ? 'hidden' : 'visible'
  const own = viewer?.id === row.author_id
  const editor = !!viewer?.isEditor
  const seesHidden = state === 'hidden' && (own || editor)
  return {
    id: row.id,
    authorId: row.author_id,
    author: { username: row.username, displayName: row.display_name, avatar: avatarOf(row.display_name, row.avatar_path) },
    html: state === 'visible' || seesHidden ? row.body_html : null,
    state,
    hiddenReason: seesHidden ? row.hidden_reason : null,
    createdAt: row.created_at,
    replyTo: row.reply_to_id ? { id: row.reply_to_id, username: row.reply_to_username } : null,
    rootId: row.root_id ?? row.id,
    likeCount: row.like_count,
    replyCount: row.reply_count,
    liked: marks.liked,
    bookmarked: marks.bookmarked,
    can: {
      like: !!viewer && (state === 'visible' || marks.liked),
      reply: !!viewer && state === 'visible',
      delete: own && state !== 'deleted',
      report: !!viewer && !own && state === 'visible',
      hide: editor && state === 'visible',
      restore: editor && state === 'hidden',
      // Taking a bookmark back stays possible after the update went away.
      bookmark: !!viewer && (state === 'visible' || marks.bookmarked),
    },
  }
}
