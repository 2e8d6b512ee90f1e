// Posts as the templates see them: plain objects with ready URLs, never database rows.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { listTagNamesOfPosts } from '../tags/queries.js'
import { listRecentPostsWithTags } from './queries.js'
import { countWords } from '../markdown/text.js'
import { findUploadsByIds } from '../uploads/queries.js'
import { imageView, type ImageView } from '../uploads/view.js'
import { pageOf } from './cursor.js'
import { postPath, tagPath } from './post.js'
import { avatarOf, type AvatarView } from '../profiles/avatar.js'

export interface TagLink {
  name: string
  url: string
}

export interface PostCard {
  id: number
  title: string
  url: string
  summary: string
  publishedAt: string | null
  author: { name: string; url: string; avatar?: AvatarView }
  tags: TagLink[]
  commentCount: number
  pinned: boolean
  /** The cover as a thumbnail (every stored size in its srcset). */
  cover?: ImageView
}

export interface CardRow {
  id: number
  slug: string
  title: string
  summary: string
  published_at: string | null
  comment_count: number
  pinned_at: string | null
  author_username: string
  author_name: string
  cover_upload_id?: number | null
  /** The author's picture (src/profiles/avatar.ts). */
  author_avatar?: string | null
}

export function tagLinks(names: string[]): TagLink[] {
  return names.map((name) => ({ name, url: tagPath(name) }))
}

export function authorLink(username: string, name: string) {
  return { name, url: `/users/${encodeURIComponent(username)}` }
}

/** Cards for a page of rows, with their tags (one query for the page). */
export async function toCards(db: Kysely<DB>, rows: CardRow[]): Promise<PostCard[]> {
  const [tags, covers] = await Promise.all([
    listTagNamesOfPosts(db, rows.map((r) => r.id)),
    findUploadsByIds(db, rows.map((r) => r.cover_upload_id)),
  ])
  return rows.map((r) => ({
    id: r.id, title: r.title, url: postPath(r.slug), summary: r.summary, publishedAt: r.published_at,
    author: { ...authorLink(r.author_username, r.author_name), avatar: avatarOf(r.author_name, r.author_avatar) }, tags: tagLinks(tags.get(r.id) ?? []),
    commentCount: r.comment_count, pinned: r.pinned_at !== null,
    cover: r.cover_upload_id != null && covers.has(r.cover_upload_id) ? imageView(covers.get(r.cover_upload_id)!) : undefined,
  }))
}

/**
 * What cards depend on besides the list itself ('posts'): each post's own scope ('post:<id>', its
 * comment count among the rest), so a comment on a post not shown keeps the page.
 */
export function cardScopes(rows: readonly ({ id: number } | undefined)[]): string[] {
  return rows.flatMap((r) => (r ? [`post:${r.id}`] : []))
}

/** A page of published-post cards and the cursor of the next page. */
export async function cardPage(db: Kysely<DB>, rows: CardRow[], limit: number) {
  const page = pageOf(rows, limit, (r) => ({ at: r.published_at ?? '', id: r.id }))
  return { cards: await toCards(db, page.items), next: page.next }
}

/** Minutes to read a post's lead and body at about 200 words a minute; at least 1. */
export function readingMinutes(lead: string, html: string): number {
  const words = (lead.match(/\S+/g)?.length ?? 0) + countWords(html)
  return Math.max(1, Math.round(words / 200))
}

/**
 * Up to `limit` published posts sharing tags with a post: most shared tags first, then newest.
 * A few of the newest per tag (indexed), so a tag with a hundred thousand posts costs the same as one with ten.
 */
export async function relatedPosts(db: Kysely<DB>, postId: number, tagIds: number[], limit = 3) {
  const rows = await listRecentPostsWithTags(db, tagIds, postId, limit * 2)
  const seen = new Map<number, { title: string; url: string; at: string; shared: number }>()
  for (const r of rows) {
    const known = seen.get(r.id)
    if (known) known.shared++
    else seen.set(r.id, { title: r.title, url: postPath(r.slug), at: r.published_at ?? '', shared: 1 })
  }
  return [...seen.values()].sort((a, b) => b.shared - a.shared || b.at.localeCompare(a.at)).slice(0, limit)
    .map(({ title, url }) => ({ title, url }))
}
