// Posts as the templates see them: plain objects with ready URLs, never database rows.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { listTagNamesOfPosts } from '../tags/queries.js'
import { pageOf } from './cursor.js'
import { postPath, tagPath } from './post.js'

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
  author: { name: string; url: string }
  tags: TagLink[]
  commentCount: number
  pinned: boolean
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
}

export function tagLinks(names: string[]): TagLink[] {
  return names.map((name) => ({ name, url: tagPath(name) }))
}

export function authorLink(username: string, name: string) {
  return { name, url: `/users/${encodeURIComponent(username)}` }
}

/** Cards for a page of rows, with their tags (one query for the page). */
export async function toCards(db: Kysely<DB>, rows: CardRow[]): Promise<PostCard[]> {
  const tags = await listTagNamesOfPosts(db, rows.map((r) => r.id))
  return rows.map((r) => ({
    id: r.id, title: r.title, url: postPath(r.slug), summary: r.summary, publishedAt: r.published_at,
    author: authorLink(r.author_username, r.author_name), tags: tagLinks(tags.get(r.id) ?? []),
    commentCount: r.comment_count, pinned: r.pinned_at !== null,
  }))
}

/** A page of published-post cards and the cursor of the next page. */
export async function cardPage(db: Kysely<DB>, rows: CardRow[], limit: number) {
  const page = pageOf(rows, limit, (r) => ({ at: r.published_at ?? '', id: r.id }))
  return { cards: await toCards(db, page.items), next: page.next }
}
