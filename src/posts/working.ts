// The content a review is about: the post row itself, or the pending change to a published post.
// Also the last published version, which a change is compared with.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { reviewTarget } from '../editorial/state-machine.js'
import { tagNamesOfPost } from '../tags/service.js'
import { contentHash, splitTags } from './post.js'
import { findRevision, type PostRow, type RevisionRow } from './queries.js'

export interface Content {
  revisionId: number | null
  title: string
  lead: string
  bodyMd: string
  bodyHtml: string
  tags: string[]
  coverUploadId: number | null
  slug: string
  hash: string
}

export function revisionContent(rev: RevisionRow): Content {
  return {
    revisionId: rev.id, title: rev.title, lead: rev.lead, bodyMd: rev.body_md, bodyHtml: rev.body_html,
    tags: splitTags(rev.tags), coverUploadId: rev.cover_upload_id, slug: rev.slug, hash: rev.content_hash,
  }
}

/** What would be approved: the pending change if there is one, else the row. */
export async function workingContent(db: Kysely<DB>, post: PostRow): Promise<Content> {
  const editing = reviewTarget({ status: post.status, authorId: post.author_id, editStatus: post.edit_status }) === 'edit'
  if (editing && post.edit_revision_id !== null) {
    const rev = await findRevision(db, post.id, post.edit_revision_id)
    if (rev) return revisionContent(rev)
  }
  return rowContent(db, post)
}

/** The row's content, hashed from the row itself: exactly what readers get when it is published. */
export async function rowContent(db: Kysely<DB>, post: PostRow): Promise<Content> {
  const tags = await tagNamesOfPost(db, post.id)
  const c = { title: post.title, lead: post.lead, bodyMd: post.body_md, tags, coverUploadId: post.cover_upload_id, slug: post.slug }
  return { ...c, revisionId: post.revision_id, bodyHtml: post.body_html, hash: contentHash(c) }
}

/** The version last published, when the post has been published before. */
export async function lastPublishedContent(db: Kysely<DB>, post: PostRow): Promise<Content | undefined> {
  if (post.published_revision_id === null) return undefined
  const rev = await findRevision(db, post.id, post.published_revision_id)
  return rev ? revisionContent(rev) : undefined
}
