// WordPress comments → ours. Pure.
//
// Which: approved ordinary comments only. Spam, trash, comments still awaiting moderation, and
// pingbacks and trackbacks (notices from other blogs, not conversation) are counted and left out.
//
// Threading: WordPress nests replies to any depth; ours have one level. A reply is attached to the
// top-level comment its thread started with; when it answered someone further down the thread, its
// text starts with "@Name" (the person it answered), so the conversation still reads right. A reply
// whose parent was not imported (spam, trash, pending) hangs on the nearest imported ancestor, or
// becomes a top-level comment when there is none.
//
// Order: parents before replies, otherwise by date then WordPress id, so the insertion order (our
// ids) is the reading order within each level.
import { escapeHtml } from '../wordpress/html-utils.js'
import type { WxrComment } from '../wordpress/wxr-types.js'

export type CommentSkip = 'spam' | 'trash' | 'pending' | 'pingback' | 'trackback'

export interface PlannedComment {
  wpId: number
  /** WordPress id of the top-level comment this one replies to; undefined for a top-level comment. */
  topWpId: number | undefined
  /** Name of the person answered, when that is not the top-level comment's author. */
  replyTo: string | undefined
  author: string
  email: string
  /** WordPress user id of the commenter (0: none). */
  wpUserId: number
  /** ISO-8601 UTC; undefined when WordPress wrote no usable date. */
  date: string | undefined
  content: string
}

export interface CommentPlan {
  comments: PlannedComment[]
  skipped: Record<CommentSkip, number>
}

export function skipReason(c: Pick<WxrComment, 'approved' | 'type'>): CommentSkip | undefined {
  if (c.type === 'pingback' || c.type === 'trackback') return c.type
  if (c.approved === '1' || c.approved === 'approve') return undefined
  if (c.approved === 'spam') return 'spam'
  if (c.approved === 'trash' || c.approved === 'post-trashed') return 'trash'
  return 'pending'
}

/**
 * `nameOf` gives the name a commenter is shown by: for a blog user, WordPress shows their display
 * name, while the export may hold their login as the comment's author.
 */
export function planComments(all: readonly WxrComment[], nameOf: (c: WxrComment) => string = (c) => c.author.trim()): CommentPlan {
  const skipped: Record<CommentSkip, number> = { spam: 0, trash: 0, pending: 0, pingback: 0, trackback: 0 }
  const byId = new Map(all.map((c) => [c.id, c]))
  const visible = new Set<number>()
  for (const c of all) {
    const why = skipReason(c)
    if (why) skipped[why]++
    else visible.add(c.id)
  }

  // The nearest imported ancestor (or undefined), guarding against loops in broken data.
  const nearestVisible = (c: WxrComment): WxrComment | undefined => {
    const seen = new Set([c.id])
    for (let p = byId.get(c.parentId); p && !seen.has(p.id); p = byId.get(p.parentId)) {
      seen.add(p.id)
      if (visible.has(p.id)) return p
    }
    return undefined
  }
  const topOf = (c: WxrComment): WxrComment => {
    let top = c
    for (let up = nearestVisible(c), n = 0; up && n < 10_000; up = nearestVisible(up), n++) top = up
    return top
  }

  const planned = all.filter((c) => visible.has(c.id)).map((c): PlannedComment => {
    const parent = nearestVisible(c)
    const top = parent ? topOf(parent) : undefined
    return {
      wpId: c.id,
      topWpId: top?.id,
      replyTo: parent && top && parent.id !== top.id ? nameOf(parent) || undefined : undefined,
      author: nameOf(c),
      email: c.authorEmail,
      wpUserId: c.userId,
      date: c.date,
      content: c.content,
    }
  })
  return { comments: parentsFirst(planned), skipped }
}

const byDate = (a: PlannedComment, b: PlannedComment) =>
  (a.date ?? '').localeCompare(b.date ?? '') || a.wpId - b.wpId

function parentsFirst(list: PlannedComment[]): PlannedComment[] {
  const tops = list.filter((c) => c.topWpId === undefined).sort(byDate)
  const replies = list.filter((c) => c.topWpId !== undefined).sort(byDate)
  return [...tops, ...replies]
}

/** Puts "@Name" in front of a reply's text (HTML, before sanitizing). */
export function withReplyContext(html: string, replyTo: string | undefined): string {
  if (!replyTo) return html
  const mention = `@${escapeHtml(replyTo)}`
  return html.startsWith('<p>') ? `<p>${mention}: ${html.slice(3)}` : `<p>${mention}:</p>\n${html}`
}
