// Content rows for the feeds and search tests, inserted straight into the tables of migrations 0003
// and 0004 (the write paths of posts, microblog and comments are separate features). Bodies go through
// the real Markdown renderer, so the HTML is what those features store.
import type { FastifyInstance } from 'fastify'
import type { PostStatus } from '../../src/db/schema.js'
import { renderMarkdown, deriveLead } from '../../src/markdown/index.js'
import { slugify } from '../../src/posts/slug.js'

let seq = 0
const iso = (d: Date | string | undefined, fallback = new Date()) => (d === undefined ? fallback : new Date(d)).toISOString()

async function tagIds(app: FastifyInstance, names: string[]): Promise<number[]> {
  const ids: number[] = []
  for (const name of names) {
    await app.db.insertInto('tags').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute()
    const row = await app.db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()
    ids.push(row.id)
  }
  return ids
}

export interface PostInput {
  author: { id: number }
  title: string
  markdown?: string
  /** Used as is instead of rendering `markdown` (must already be sanitized). */
  bodyHtml?: string
  lead?: string
  slug?: string
  status?: PostStatus
  tags?: string[]
  publishedAt?: Date | string
  updatedAt?: Date | string
  submittedAt?: Date | string
}

export async function insertPost(app: FastifyInstance, input: PostInput): Promise<{ id: number; slug: string }> {
  const status = input.status ?? 'published'
  const bodyHtml = input.bodyHtml ?? renderMarkdown(input.markdown ?? 'Innhold.', 'post')
  const published = status === 'published' ? iso(input.publishedAt) : null
  const slug = input.slug ?? `${slugify(input.title)}-${++seq}`
  const { id } = await app.db
    .insertInto('posts')
    .values({
      author_id: input.author.id, slug, title: input.title, lead: input.lead ?? '',
      summary: input.lead || deriveLead(bodyHtml), body_md: input.markdown ?? '', body_html: bodyHtml, status,
      published_at: published, submitted_at: input.submittedAt ? iso(input.submittedAt) : null,
      created_at: published ?? iso(undefined), updated_at: iso(input.updatedAt, published ? new Date(published) : new Date()),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const tagId of await tagIds(app, input.tags ?? [])) {
    await app.db.insertInto('post_tags').values({ post_id: id, tag_id: tagId, published_at: published }).execute()
  }
  return { id, slug }
}

export async function setPostStatus(app: FastifyInstance, id: number, status: PostStatus): Promise<void> {
  const now = new Date().toISOString()
  const published = status === 'published' ? now : null
  await app.db.updateTable('posts').set({ status, published_at: published, updated_at: now }).where('id', '=', id).execute()
  await app.db.updateTable('post_tags').set({ published_at: published }).where('post_id', '=', id).execute()
}

export interface MicroInput {
  author: { id: number }
  body: string
  tags?: string[]
  createdAt?: Date | string
  hidden?: boolean
  deleted?: boolean
  replyTo?: number
}

export async function insertMicro(app: FastifyInstance, input: MicroInput): Promise<number> {
  const createdAt = iso(input.createdAt)
  const html = `<p>${input.body.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`
  const { id } = await app.db
    .insertInto('micro_posts')
    .values({
      author_id: input.author.id, body: input.body, body_html: html, reply_to_id: input.replyTo ?? null,
      root_id: input.replyTo ?? null, created_at: createdAt, deleted_at: input.deleted ? createdAt : null,
      hidden_at: input.hidden ? createdAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const tagId of await tagIds(app, input.tags ?? [])) {
    await app.db.insertInto('micro_tags').values({ micro_id: id, tag_id: tagId, created_at: createdAt }).execute()
  }
  return id
}

export interface CommentInput {
  postId: number
  author?: { id: number }
  authorName?: string
  markdown: string
  createdAt?: Date | string
  hidden?: boolean
  deleted?: boolean
}

export async function insertComment(app: FastifyInstance, input: CommentInput): Promise<number> {
  const createdAt = iso(input.createdAt)
  const { id } = await app.db
    .insertInto('comments')
    .values({
      post_id: input.postId, author_id: input.author?.id ?? null, author_name: input.authorName ?? null,
      body_md: input.markdown, body_html: renderMarkdown(input.markdown, 'comment'), created_at: createdAt,
      deleted_at: input.deleted ? createdAt : null, hidden_at: input.hidden ? createdAt : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Opens the site to readers without an account (the admin setting). */
export async function makePublic(app: FastifyInstance): Promise<void> {
  await app.settings.update({ visibility: 'public' }, null)
}
