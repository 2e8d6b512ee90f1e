// A published blog post for comment tests, inserted straight into the posts table (the posts feature
// is built alongside; these tests only need a row the comment rules accept).
import type { FastifyInstance } from 'fastify'

let n = 0

export async function insertPost(
  app: FastifyInstance,
  authorId: number,
  opts: { title?: string; slug?: string; status?: 'published' | 'draft' | 'submitted'; submittedAt?: string } = {},
): Promise<{ id: number; slug: string; title: string }> {
  const now = new Date().toISOString()
  const title = opts.title ?? `Et innlegg ${++n}`
  const slug = opts.slug ?? `et-innlegg-${n}-${Math.floor(Math.random() * 1e6)}`
  const status = opts.status ?? 'published'
  const row = await app.db
    .insertInto('posts')
    .values({
      author_id: authorId, slug, title, body_md: 'Hei', body_html: '<p>Hei</p>', status,
      published_at: status === 'published' ? now : null, submitted_at: opts.submittedAt ?? null,
      queued_at: status === 'submitted' ? (opts.submittedAt ?? now) : null, created_at: now, updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { id: row.id, slug, title }
}

export async function commentCount(app: FastifyInstance, postId: number): Promise<number> {
  const r = await app.db.selectFrom('posts').select('comment_count').where('id', '=', postId).executeTakeFirstOrThrow()
  return r.comment_count
}
