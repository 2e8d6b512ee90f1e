// Feeds: who may read one, what is in it, and the XML — rendered once per content generation and
// shared by every reader (the personal key is checked per request; it goes only into the rel="self"
// link of the copy sent to the one reader who used it).
import { randomBytes } from 'node:crypto'
import { listTagNamesOfMicros, listTagNamesOfPosts } from '../tags/queries.js'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Translate } from '../web/i18n/index.js'
import { deriveLead, plainText } from '../markdown/index.js'
import { escapeHtml } from '../markdown/escape.js'
import { normaliseTag } from '../posts/slug.js'
import { etagOf, GenerationCache } from '../web/page-cache.js'
import { absoluteUrls, latest, renderFeed, type FeedDocument, type FeedEntry } from './build.js'
import { feedPath, pagePath, type FeedFormat, type FeedTarget } from './paths.js'
import {
  findPublishedPostBySlug, findSiteStart, findTagByName, findUserByUsername, listPublishedPosts, listSubmittedPosts, listTaggedMicro, listTaggedPosts,
  listVisibleComments, listVisibleMicro, type FeedCommentRow, type FeedMicroRow,
  type FeedPostRow,
} from './queries.js'

export const POSTS_PER_FEED = 20
export const ITEMS_PER_FEED = 50
/** The year in every entry's tag: URI (RFC 4151); fixed, so ids never change. */
const TAG_YEAR = 2025

export interface FeedContext {
  baseUrl: string
  lang: string
  t: Translate
}

export interface RenderedFeed {
  body: Buffer
  etag: string
  /** HTTP date of the newest entry; undefined for an empty feed. */
  lastModified?: string
  /** Byte offset of the end of the rel="self" URL, where a keyed feed's `?key=…` goes. */
  selfEnd: number
}

/** The feed as read with a personal key: its rel="self" link carries the key, so it can be fetched. */
export function withSelfKey(feed: RenderedFeed, key: string): { body: Buffer; etag: string } {
  const query = Buffer.from(`?key=${encodeURIComponent(key)}`) // URI-safe: nothing to escape in XML
  const body = Buffer.concat([feed.body.subarray(0, feed.selfEnd), query, feed.body.subarray(feed.selfEnd)])
  return { body, etag: etagOf(body) }
}

// Marks the end of the self URL while rendering; random, so no text in a feed can contain it.
const SELF_END = `betablogg-self-${randomBytes(12).toString('hex')}`

/** What a request for a feed comes to: the XML, a redirect to the current address, or nothing. */
export type FeedLookup = { feed: RenderedFeed } | { redirect: FeedTarget } | undefined

/** Rendered feeds shared by all readers; dropped whenever content changes. */
export function createFeedCache(maxBytes: number) {
  return new GenerationCache<FeedLookup>({ maxEntries: 500, maxBytes, ttlMs: 10 * 60_000 })
}

export async function getFeed(
  db: Kysely<DB>, cache: GenerationCache<FeedLookup>, ctx: FeedContext, target: FeedTarget, format: FeedFormat,
): Promise<FeedLookup> {
  return cache.wrap(`${ctx.lang} ${format} ${feedPath(target, format)}`, async () => {
    const loaded = await loadFeed(db, ctx, target)
    if (!loaded || 'redirect' in loaded) return { value: loaded, bytes: 100 }
    const { self } = loaded.doc
    const [head = '', tail = ''] = renderFeed({ ...loaded.doc, self: { rss: self.rss + SELF_END, atom: self.atom + SELF_END } }, format).split(SELF_END)
    const body = Buffer.from(head + tail)
    const newest = latest(loaded.doc.entries)
    const feed = { body, etag: etagOf(body), lastModified: newest?.toUTCString(), selfEnd: Buffer.byteLength(head) }
    return { value: { feed }, bytes: body.length }
  })
}

type Loaded = { doc: FeedDocument } | { redirect: FeedTarget } | undefined

async function loadFeed(db: Kysely<DB>, ctx: FeedContext, target: FeedTarget): Promise<Loaded> {
  const { t } = ctx
  // An empty feed is as old as its subject (the post, the person, else the site), a fixed date, so
  // its ETag stays the same until something is published.
  const doc = async (title: string, description: string, entries: FeedEntry[], since?: string | null): Promise<{ doc: FeedDocument }> => ({
    doc: {
      id: ctx.baseUrl + feedPath(target, 'atom'), title, description, language: ctx.lang, pageUrl: ctx.baseUrl + pagePath(target),
      self: { rss: ctx.baseUrl + feedPath(target, 'rss'), atom: ctx.baseUrl + feedPath(target, 'atom') }, entries,
      updated: new Date((entries.length ? undefined : since ?? (await findSiteStart(db))) ?? 0),
    },
  })
  switch (target.kind) {
    case 'posts': {
      const posts = await listPublishedPosts(db, { limit: POSTS_PER_FEED })
      return doc(t('feeds.posts.title'), t('site.tagline'), await postEntries(db, ctx, posts))
    }
    case 'tag': {
      const name = normaliseTag(target.tag)
      const tag = name ? await findTagByName(db, name) : undefined
      if (!tag) return undefined
      if (tag.name !== target.tag) return { redirect: { kind: 'tag', tag: tag.name } }
      // Like the tag's page: its posts and its microblog updates, here in one list, newest first.
      const [posts, micros] = await Promise.all([listTaggedPosts(db, tag.id, POSTS_PER_FEED), listTaggedMicro(db, tag.id, ITEMS_PER_FEED)])
      const entries = [...(await postEntries(db, ctx, posts)), ...(await microEntries(db, ctx, micros))]
        .sort((a, b) => b.published.getTime() - a.published.getTime()).slice(0, ITEMS_PER_FEED)
      return doc(t('feeds.tag.title', { tag: tag.name }), t('feeds.tag.description', { tag: tag.name }), entries)
    }
    case 'author': {
      const user = await findUserByUsername(db, target.username)
      if (!user) return undefined
      const posts = await listPublishedPosts(db, { limit: POSTS_PER_FEED, authorId: user.id })
      return doc(t('feeds.author.title', { name: user.display_name }), t('feeds.author.description', { name: user.display_name }), await postEntries(db, ctx, posts), user.created_at)
    }
    case 'updates': {
      const user = await findUserByUsername(db, target.username)
      if (!user) return undefined
      const items = await listVisibleMicro(db, { limit: ITEMS_PER_FEED, authorId: user.id })
      return doc(t('feeds.updates.title', { name: user.display_name }), t('feeds.updates.description', { name: user.display_name }), await microEntries(db, ctx, items), user.created_at)
    }
    case 'micro': {
      const items = await listVisibleMicro(db, { limit: ITEMS_PER_FEED })
      return doc(t('feeds.micro.title'), t('feeds.micro.description'), await microEntries(db, ctx, items))
    }
    case 'comments': {
      const post = await findPublishedPostBySlug(db, target.slug)
      if (!post) return undefined
      if (post.slug !== target.slug) return { redirect: { kind: 'comments', slug: post.slug } }
      const comments = await listVisibleComments(db, post.id, ITEMS_PER_FEED)
      const entries = comments.map((c) => commentEntry(ctx, c, post))
      return doc(t('feeds.comments.title', { title: post.title }), t('feeds.comments.description', { title: post.title }), entries, post.published_at)
    }
    case 'editorial': {
      const posts = await listSubmittedPosts(db, ITEMS_PER_FEED)
      return doc(t('feeds.editorial.title'), t('feeds.editorial.description'), await postEntries(db, ctx, posts, true))
    }
  }
}

const host = (baseUrl: string) => new URL(baseUrl).hostname
const userUrl = (ctx: FeedContext, username: string | null) => (username ? `${ctx.baseUrl}/users/${encodeURIComponent(username)}` : undefined)
const tagUrl = (ctx: FeedContext, tag: string) => `${ctx.baseUrl}/tags/${encodeURIComponent(tag)}`
const later = (a: string, b: string | null | undefined) => new Date(b && b > a ? b : a)

async function postEntries(db: Kysely<DB>, ctx: FeedContext, posts: FeedPostRow[], queue = false): Promise<FeedEntry[]> {
  const tags = await listTagNamesOfPosts(db, posts.map((p) => p.id))
  return posts.map((p) => {
    // Queue entries: a resubmission is a new entry (the id includes the submission time).
    const url = queue ? `${ctx.baseUrl}/editorial/posts/${p.id}` : `${ctx.baseUrl}/posts/${encodeURIComponent(p.slug)}`
    const when = (queue ? p.submitted_at : p.published_at) ?? p.updated_at
    const cover = p.cover_path ? `<p><img src="${escapeHtml(`${ctx.baseUrl}/uploads/${p.cover_path}`)}" alt="${escapeHtml(p.cover_alt ?? '')}"></p>` : ''
    return {
      id: queue ? `tag:${host(ctx.baseUrl)},${TAG_YEAR}:submission/${p.id}/${Date.parse(when)}` : `tag:${host(ctx.baseUrl)},${TAG_YEAR}:post/${p.id}`,
      title: p.title, url, author: { name: p.display_name, url: userUrl(ctx, p.username) },
      published: new Date(when), updated: queue ? new Date(when) : later(when, p.updated_at),
      contentHtml: cover + absoluteUrls(p.body_html, ctx.baseUrl, url), summary: p.summary,
      categories: (tags.get(p.id) ?? []).map((term) => ({ term, url: tagUrl(ctx, term) })),
    }
  })
}

async function microEntries(db: Kysely<DB>, ctx: FeedContext, items: FeedMicroRow[]): Promise<FeedEntry[]> {
  const tags = await listTagNamesOfMicros(db, items.map((m) => m.id))
  return items.map((m) => {
    const url = `${ctx.baseUrl}/micro/${m.id}`
    const text = plainText(m.body_html) || m.body
    return {
      id: `tag:${host(ctx.baseUrl)},${TAG_YEAR}:micro/${m.id}`,
      title: deriveLead(`<p>${escapeHtml(text)}</p>`, 80) || ctx.t('feeds.micro.entryTitle', { name: m.display_name }),
      url, author: { name: m.display_name, url: userUrl(ctx, m.username) },
      published: new Date(m.created_at), updated: new Date(m.created_at),
      contentHtml: absoluteUrls(m.body_html, ctx.baseUrl, url), summary: '',
      categories: (tags.get(m.id) ?? []).map((term) => ({ term, url: tagUrl(ctx, term) })),
    }
  })
}

function commentEntry(ctx: FeedContext, c: FeedCommentRow, post: { slug: string; title: string }): FeedEntry {
  const url = `${ctx.baseUrl}/posts/${encodeURIComponent(post.slug)}#comment-${c.id}`
  const name = c.display_name ?? c.author_name ?? ctx.t('feeds.unknownAuthor')
  return {
    id: `tag:${host(ctx.baseUrl)},${TAG_YEAR}:comment/${c.id}`,
    title: ctx.t('feeds.comments.entryTitle', { name, title: post.title }), url,
    author: { name, url: userUrl(ctx, c.username ?? null) },
    published: new Date(c.created_at), updated: later(c.created_at, c.edited_at),
    contentHtml: absoluteUrls(c.body_html, ctx.baseUrl, url), summary: deriveLead(c.body_html, 200), categories: [],
  }
}
