// What a widget shows, as plain view objects. Only published posts and visible updates: a widget is
// seen by people who are not logged in to Betablogg.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { listPublishedPosts } from '../posts/queries.js'
import { listTagPosts, findTagByName } from '../tags/queries.js'
import { findUserByUsername } from '../users/queries.js'
import { listTimeline } from '../micro/queries.js'
import { postPath, tagPath } from '../posts/post.js'

export interface WidgetPost { title: string; url: string; summary: string; publishedAt: string; author: string }
export interface WidgetUpdate { html: string; url: string; createdAt: string; author: string; authorUrl: string }

export type PostsSource = { kind: 'all' } | { kind: 'tag'; name: string } | { kind: 'author'; username: string }

/** The newest published posts of a source, with the source's own page; undefined for an unknown tag or author. */
export async function widgetPosts(db: Kysely<DB>, source: PostsSource, limit: number) {
  let rows
  let more: { url: string; name: string } | undefined
  if (source.kind === 'tag') {
    const tag = await findTagByName(db, source.name)
    if (!tag) return undefined
    rows = await listTagPosts(db, tag.id, undefined, limit)
    more = { url: tagPath(tag.name), name: tag.name }
  } else if (source.kind === 'author') {
    const user = await findUserByUsername(db, source.username)
    if (!user) return undefined
    rows = await listPublishedPosts(db, { authorId: user.id, limit })
    more = { url: `/users/${encodeURIComponent(user.username)}`, name: user.display_name }
  } else {
    rows = await listPublishedPosts(db, { limit })
  }
  const posts: WidgetPost[] = rows.slice(0, limit).map((r) => ({
    title: r.title, url: postPath(r.slug), summary: r.summary, publishedAt: r.published_at ?? '', author: r.author_name,
  }))
  return { posts, more }
}

export async function widgetUpdates(db: Kysely<DB>, limit: number): Promise<WidgetUpdate[]> {
  const rows = await listTimeline(db, limit)
  return rows.slice(0, limit).map((r) => ({
    html: r.body_html, url: `/micro/${r.id}`, createdAt: r.created_at, author: r.display_name,
    authorUrl: `/users/${encodeURIComponent(r.username)}`,
  }))
}
