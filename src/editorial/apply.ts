// Making a revision the post's row: when a reviewed change to a published post is approved, or when a
// post with a pending change is withdrawn (the change becomes the working copy).
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { deriveLead } from '../markdown/index.js'
import { updatePost, type PostRow } from '../posts/queries.js'
import type { Content } from '../posts/working.js'
import { syncPostTags } from '../tags/service.js'

/** `publishedAt`: the post's publication time if it stays published, else null. */
export async function applyToRow(db: Kysely<DB>, post: PostRow, c: Content, publishedAt: string | null): Promise<void> {
  await updatePost(db, post.id, {
    title: c.title, lead: c.lead, summary: c.lead || deriveLead(c.bodyHtml), body_md: c.bodyMd, body_html: c.bodyHtml,
    cover_upload_id: c.coverUploadId, revision_id: c.revisionId ?? post.revision_id, edit_revision_id: null, edit_status: null,
  })
  await syncPostTags(db, post.id, c.tags, publishedAt)
}
