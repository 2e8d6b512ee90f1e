// What moderation acts on: microblog updates and comments, seen through one shape. Hiding and
// restoring go through the owning feature's service, which keeps its counts right.
import type { Kysely } from 'kysely'
import type { DB, ModerationSubject } from '../db/schema.js'
import { listMicroByIds, type MicroRow } from '../micro/queries.js'
import { setUpdateHidden } from '../micro/service.js'
import { listCommentsWithPost, type CommentRow } from '../comments/queries.js'
import { setCommentHidden } from '../comments/service.js'

export interface Subject {
  type: ModerationSubject
  id: number
  authorId: number | null
  authorName: string | null
  authorUsername: string | null
  /** The text as written (plain text or Markdown), for snippets and the audit hash. */
  source: string
  /** Stored safe HTML (micro: src/micro/text.ts; comment: src/markdown). */
  html: string
  createdAt: string
  deleted: boolean
  hidden: boolean
  hiddenReason: string | null
  /** Where the item is shown. */
  href: string
  /** The post a comment belongs to. */
  post?: { slug: string; title: string }
}

type Loaded = { subject: Subject; micro?: MicroRow; comment?: CommentRow }

const key = (type: ModerationSubject, id: number) => `${type}:${id}`

function fromMicro(m: MicroRow): Loaded {
  return {
    micro: m,
    subject: {
      type: 'micro', id: m.id, authorId: m.author_id, authorName: m.display_name, authorUsername: m.username, source: m.body,
      html: m.body_html, createdAt: m.created_at, deleted: !!m.deleted_at, hidden: !!m.hidden_at, hiddenReason: m.hidden_reason,
      href: `/micro/${m.id}#micro_${m.id}`,
    },
  }
}

function fromComment(c: CommentRow & { post_slug: string; post_title: string }): Loaded {
  return {
    comment: c,
    subject: {
      type: 'comment', id: c.id, authorId: c.author_id, authorName: c.display_name ?? c.author_name, authorUsername: c.username,
      source: c.body_md, html: c.body_html, createdAt: c.created_at, deleted: !!c.deleted_at, hidden: !!c.hidden_at,
      hiddenReason: c.hidden_reason, href: `/posts/${encodeURIComponent(c.post_slug)}#comment_${c.id}`,
      post: { slug: c.post_slug, title: c.post_title },
    },
  }
}

/** Loads several subjects at once (two queries at most). */
export async function loadSubjects(db: Kysely<DB>, refs: { type: ModerationSubject; id: number }[]): Promise<Map<string, Loaded>> {
  const out = new Map<string, Loaded>()
  const ids = (t: ModerationSubject) => refs.filter((r) => r.type === t).map((r) => r.id)
  for (const m of await listMicroByIds(db, ids('micro'))) out.set(key('micro', m.id), fromMicro(m))
  for (const c of await listCommentsWithPost(db, ids('comment'))) out.set(key('comment', c.id), fromComment(c))
  return out
}

export async function loadSubject(db: Kysely<DB>, type: ModerationSubject, id: number): Promise<Loaded | undefined> {
  return (await loadSubjects(db, [{ type, id }])).get(key(type, id))
}

export function subjectKey(type: ModerationSubject, id: number): string {
  return key(type, id)
}

/** Hides (hidden set) or restores (null) the subject through its feature's service. */
export async function setSubjectHidden(db: Kysely<DB>, loaded: Loaded, hidden: { at: string; by: number; reason: string } | null) {
  if (loaded.micro) await setUpdateHidden(db, loaded.micro, hidden)
  else if (loaded.comment) await setCommentHidden(db, loaded.comment, hidden)
}
