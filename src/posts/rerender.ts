// Re-rendering every post after a change of the Markdown renderer or the HTML policy (src/markdown):
// the stored HTML of posts and of their revisions is made again from the stored Markdown. In batches,
// each its own short transaction, so the server keeps running. Content hashes cover the Markdown
// source, so they do not change. (For the CLI: `rerenderPosts(db)`.) Embeds use what the providers
// answered before (embed_cache): re-rendering makes no requests.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { deriveLead, renderMarkdown } from '../markdown/index.js'
import { resolvedEmbedsFor } from '../embeds/service.js'
import { listPostsAfter, listRevisionsAfter, updatePost, updateRevisionHtml } from './queries.js'

const BATCH = 200

export async function rerenderPosts(db: Kysely<DB>): Promise<{ posts: number; revisions: number; changed: number }> {
  const result = { posts: 0, revisions: 0, changed: 0 }
  for (let after = 0; ;) {
    const rows = await listPostsAfter(db, after, BATCH)
    if (!rows.length) break
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const html = renderMarkdown(row.body_md, 'post', await resolvedEmbedsFor(trx, row.body_md))
        if (html !== row.body_html) {
          await updatePost(trx, row.id, { body_html: html, summary: row.lead || deriveLead(html) })
          result.changed++
        }
      }
    })
    result.posts += rows.length
    after = rows[rows.length - 1]!.id
  }
  for (let after = 0; ;) {
    const rows = await listRevisionsAfter(db, after, BATCH)
    if (!rows.length) break
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const html = renderMarkdown(row.body_md, 'post', await resolvedEmbedsFor(trx, row.body_md))
        if (html !== row.body_html) await updateRevisionHtml(trx, row.id, html)
      }
    })
    result.revisions += rows.length
    after = rows[rows.length - 1]!.id
  }
  return result
}
