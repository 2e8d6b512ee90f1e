// Writes one prepared post — the post, its tags, its comments, the import map and the audit entry —
// into the transaction it is given (a dry run's is on a copy of the database). Returns what it did,
// so the caller counts it only once the transaction has committed.
import type { Insertable, Kysely } from 'kysely'
import { appendAuditEvent } from '../audit/chain.js'
import type { DB, WordpressMapTable } from '../db/schema.js'
import { contentHash, joinTags } from '../posts/post.js'
import { uniqueSlug } from '../posts/slug.js'
import type { PreparedComment, PreparedPost } from './prepare.js'
import {
  addToCommentCount, findTagId, incrementTagPostCounts, insertComments, insertMappings, insertPost, insertPostTags,
  insertRevision, insertTag, setPostRevision, slugTaken,
} from './queries.js'
import { addStewardship } from '../stewardship/service.js'
import { termKey } from './tags.js'

export interface WriteContext {
  source: string
  fileName: string
  sha256: string
  now: string
  /** Tag name → id of tags known to exist; entries added by a rolled-back post must be dropped. */
  tagIds: Map<string, number>
}

export interface Written {
  postId: number
  slug: string
  createdTags: string[]
  comments: number
}

/** The base slug if free, else the first free `-2`, `-3` … variant. */
export async function chooseSlug(db: Kysely<DB>, base: string): Promise<string> {
  const seen = new Set<string>()
  for (;;) {
    const candidate = uniqueSlug(base, (s) => seen.has(s))
    if (!(await slugTaken(db, candidate))) return candidate
    seen.add(candidate)
  }
}

export async function writePost(trx: Kysely<DB>, p: PreparedPost, ctx: WriteContext): Promise<Written> {
  const slug = await chooseSlug(trx, p.slugBase)
  const postId = await insertPost(trx, { ...p.row, slug })
  const hash = await addRevision(trx, postId, slug, p)
  const createdTags: string[] = []
  const tagIds: number[] = []
  for (const t of p.tags) {
    let id = ctx.tagIds.get(t.name) ?? (await findTagId(trx, t.name))
    if (id === undefined) {
      id = await insertTag(trx, t.name)
      createdTags.push(t.name)
    }
    ctx.tagIds.set(t.name, id)
    tagIds.push(id)
  }
  const published = p.row.status === 'published'
  await insertPostTags(trx, postId, tagIds, published ? (p.row.published_at ?? null) : null)
  if (published) await incrementTagPostCounts(trx, tagIds)
  if (published && p.row.published_at) await addStewardship(trx, { id: postId, author_id: p.row.author_id }, p.row.published_at)
  const commentIds = await writeComments(trx, postId, p.comments, new Map())

  const map = (row: Omit<Insertable<WordpressMapTable>, 'source' | 'imported_at'>) => ({ ...row, source: ctx.source, imported_at: ctx.now })
  await insertMappings(trx, [
    map({ kind: 'post', wp_key: String(p.wpId), wp_id: p.wpId, wp_slug: p.wpSlug || null, wp_type: p.wpType, target_id: postId }),
    ...p.oldUrls.map((key) => map({ kind: 'url', wp_key: key, wp_id: p.wpId, wp_type: p.wpType, target_id: postId })),
    ...p.tags.flatMap((t, i) => (t.term
      ? [map({ kind: 'term', wp_key: termKey(t.term), wp_id: t.term.id ?? null, wp_slug: t.term.slug, wp_type: t.term.taxonomy, target_id: tagIds[i]! })]
      : [])),
    ...[...commentIds].map(([wpId, id]) => map({ kind: 'comment', wp_key: String(wpId), wp_id: wpId, target_id: id })),
  ])
  await appendAuditEvent(trx, {
    actor: null, action: 'post.import', subjectType: 'post', subjectId: postId, toState: p.row.status ?? 'draft',
    contentHash: hash, at: ctx.now,
    note: `WordPress ${p.wpType} ${p.wpId} · ${ctx.fileName} · sha256 ${ctx.sha256}`,
  })
  return { postId, slug, createdTags, comments: commentIds.size }
}

/** Records the imported content as revision 1 (hashed like every revision); returns the hash. */
async function addRevision(trx: Kysely<DB>, postId: number, slug: string, p: PreparedPost): Promise<string> {
  const { row } = p
  const tags = p.tags.map((t) => t.name)
  const content = { title: row.title, lead: row.lead ?? '', bodyMd: row.body_md ?? '', tags, coverUploadId: row.cover_upload_id ?? null, slug }
  const hash = contentHash(content)
  const revisionId = await insertRevision(trx, {
    post_id: postId, author_id: row.author_id, title: content.title, lead: content.lead, body_md: content.bodyMd,
    body_html: row.body_html ?? '', tags: joinTags(tags), cover_upload_id: content.coverUploadId, slug, content_hash: hash,
    created_at: row.created_at,
  })
  await setPostRevision(trx, postId, revisionId, row.status === 'published')
  return hash
}

/**
 * Inserts comments (top-level ones first) and returns WordPress id → our id for those inserted.
 * `existing` holds comments of the post imported before, which new replies may hang on.
 */
export async function writeComments(trx: Kysely<DB>, postId: number, comments: PreparedComment[],
  existing: ReadonlyMap<number, number>): Promise<Map<number, number>> {
  const ids = new Map<number, number>()
  const listed = new Set(comments.map((c) => c.wpId))
  // A reply whose thread start is neither here nor imported before becomes a top-level comment.
  const isTop = (c: PreparedComment) => c.topWpId === undefined || (!listed.has(c.topWpId) && !existing.has(c.topWpId))
  const parentOf = (c: PreparedComment) => (c.topWpId === undefined ? undefined : ids.get(c.topWpId) ?? existing.get(c.topWpId))
  const tops = comments.filter(isTop)
  const topIds = await insertComments(trx, tops.map((c) => ({ ...c.row, post_id: postId, parent_id: null })))
  tops.forEach((c, i) => ids.set(c.wpId, topIds[i]!))
  const replies = comments.filter((c) => !isTop(c))
  const replyIds = await insertComments(trx, replies.map((c) => ({ ...c.row, post_id: postId, parent_id: parentOf(c) ?? null })))
  replies.forEach((c, i) => ids.set(c.wpId, replyIds[i]!))
  return ids
}

/** New comments on a post imported before (a later export of the same blog). */
export async function writeNewComments(trx: Kysely<DB>, postId: number, comments: PreparedComment[],
  existing: ReadonlyMap<number, number>, ctx: WriteContext): Promise<number> {
  const ids = await writeComments(trx, postId, comments, existing)
  await addToCommentCount(trx, postId, ids.size)
  await insertMappings(trx, [...ids].map(([wpId, id]) => ({
    source: ctx.source, kind: 'comment' as const, wp_key: String(wpId), wp_id: wpId, target_id: id, imported_at: ctx.now,
  })))
  return ids.size
}
