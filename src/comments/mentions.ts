// @mentions in a comment: who is named, so they can be told. A comment is Markdown, so code (fenced
// blocks and `inline code`) is left out: "@admin" in a code sample names nobody. (Text indented as a
// code block still counts: in a list, the same indentation is ordinary text.)
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { findExistingUsernames } from '../micro/queries.js'
import { mentionCandidates, resolvedMentions } from '../micro/text.js'
import { listNotifiedUserIds } from '../notifications/queries.js'
import { notify } from '../notifications/service.js'

/** A comment tells at most this many people it names, over all its edits: more would be a way to send unwanted notices. */
export const MAX_MENTIONS_NOTIFIED = 10

/** The Markdown text without fenced code blocks and code spans. */
export function withoutCode(markdown: string): string {
  const kept: string[] = []
  let fence: string | undefined // the opening fence's character run while inside a block
  for (const line of markdown.split('\n')) {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence === undefined && marker) fence = marker
    else if (fence !== undefined && marker && marker[0] === fence[0] && marker.length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)) fence = undefined
    else if (fence === undefined) kept.push(line)
  }
  return kept.join('\n').replace(/(`+)[^`][\s\S]*?\1/g, ' ')
}

/** The users a comment names with @username (existing accounts, at most MAX_MENTIONS_NOTIFIED). */
export async function mentionedUsers(db: Kysely<DB>, markdown: string): Promise<{ id: number; username: string }[]> {
  const text = withoutCode(markdown)
  const found = await findExistingUsernames(db, mentionCandidates(text))
  const named = resolvedMentions(text, new Set(found.map((u) => u.username)))
  return named.slice(0, MAX_MENTIONS_NOTIFIED).map((name) => found.find((u) => u.username === name)!)
}

/**
 * Tells the people a comment on a published post names, except `skip` (told otherwise: the post's
 * author, the one replied to) and anyone this comment has told before (an edit tells only the newly
 * named), up to MAX_MENTIONS_NOTIFIED in all.
 */
export async function tellMentioned(
  db: Kysely<DB>, actorId: number, commentId: number, post: { status: string; title: string; slug: string },
  markdown: string, snippet: string, skip: (number | null | undefined)[], now: Date,
): Promise<void> {
  if (post.status !== 'published') return
  const told = new Set(await listNotifiedUserIds(db, 'mention', 'comment', commentId))
  let room = MAX_MENTIONS_NOTIFIED - told.size
  for (const u of await mentionedUsers(db, markdown)) {
    if (room <= 0) return
    if (told.has(u.id) || skip.includes(u.id) || u.id === actorId) continue
    const data = { title: post.title, slug: post.slug, snippet }
    await notify(db, u.id, { kind: 'mention', actorId, subjectType: 'comment', subjectId: commentId, data }, now)
    room--
  }
}
