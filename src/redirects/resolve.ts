// An old WordPress URL → the new page it should redirect to, or undefined (the caller answers 404,
// or for the front page simply shows it). First the exact old address of an imported item (its <link>
// or guid, whatever the permalink structure: /om/kontakt/, /?page_id=2, /2009/05/21/slug/); then
// parseWordPressPath says what the URL meant and the import map what became of it. Things not
// imported fall back to a same-named page here where one exists.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { normaliseTag, slugify } from '../posts/slug.js'
import { oldUrlKey, parseWordPressPath, type OldLink } from '../wordpress/permalinks.js'
import {
  findPostSlugByWpId, findPostSlugByWpSlug, findPublishedSlug, findTagNameByTerm, findTargetByOldUrl, findUploadPath,
  findUsernameByAuthor, tagExists, usernameExists,
} from './queries.js'
import { commentFeedUrl, feedUrl, postUrl, searchUrl, tagUrl, uploadUrl, userUrl, type FeedFormat } from './targets.js'

export async function resolveOldUrl(db: Kysely<DB>, url: string): Promise<string | undefined> {
  const exact = await itemAt(db, url)
  if (exact) return exact
  const link = parseWordPressPath(url)
  if (!link) return undefined
  // WordPress served Atom at /feed/atom/ and ?feed=atom; everything else was RSS.
  const format: FeedFormat = /\/atom\/?(?:$|\?)|[?&]feed=atom(?:&|$)/.test(url) ? 'atom' : 'rss'
  return resolveOldLink(db, link, format)
}

export async function resolveOldLink(db: Kysely<DB>, link: OldLink, format: FeedFormat = 'rss'): Promise<string | undefined> {
  switch (link.kind) {
    case 'post-id': case 'page-id': {
      const slug = await findPostSlugByWpId(db, link.id)
      if (slug) return postUrl(slug)
      const file = link.kind === 'post-id' ? await findUploadPath(db, { attachmentId: link.id }) : undefined
      return file ? uploadUrl(file) : undefined
    }
    case 'post-slug': {
      const slug = await postSlug(db, link.slug, link.year, link.month)
      return slug ? postUrl(slug) : undefined
    }
    case 'tag': case 'category': {
      const name = await tagName(db, link.kind === 'tag' ? 'post_tag' : 'category', link.slug)
      return name ? tagUrl(name) : undefined
    }
    case 'category-id': {
      const name = await findTagNameByTerm(db, { wpId: link.id })
      return name ? tagUrl(name) : undefined
    }
    case 'author': {
      const username = await authorUsername(db, link.login)
      return username ? userUrl(username) : undefined
    }
    case 'author-id': {
      const username = await findUsernameByAuthor(db, { wpId: link.id })
      return username ? userUrl(username) : undefined
    }
    case 'feed': return feed(db, link, format)
    case 'search': return link.query.trim() ? searchUrl(link.query.trim()) : undefined
    case 'upload': {
      const file = await findUploadPath(db, { path: link.path })
      return file ? uploadUrl(file) : undefined
    }
    case 'home': case 'archive': return undefined
  }
}

/** The imported item whose old address this is; a query it did not have (?utm_…) is tried without. */
async function itemAt(db: Kysely<DB>, url: string): Promise<string | undefined> {
  const key = oldUrlKey(url)
  if (!key) return undefined
  const bare = key.replace(/\?.*$/, '')
  for (const k of bare !== key && bare !== '/' ? [key, bare] : [key]) {
    const target = await findTargetByOldUrl(db, k)
    if (target) return 'slug' in target ? postUrl(target.slug) : uploadUrl(target.path)
  }
  return undefined
}

async function postSlug(db: Kysely<DB>, wpSlug: string, year?: number, month?: number): Promise<string | undefined> {
  const yearMonth = year && month ? `${year}-${String(month).padStart(2, '0')}` : undefined
  return (await findPostSlugByWpSlug(db, wpSlug, yearMonth)) ?? (await findPublishedSlug(db, slugify(wpSlug)))
}

async function tagName(db: Kysely<DB>, taxonomy: 'post_tag' | 'category', slug: string): Promise<string | undefined> {
  const name = await findTagNameByTerm(db, { key: `${taxonomy}:${slug}` })
  if (name) return name
  const same = normaliseTag(slug)
  return same && (await tagExists(db, same)) ? same : undefined
}

async function authorUsername(db: Kysely<DB>, login: string): Promise<string | undefined> {
  return (await findUsernameByAuthor(db, { name: login })) ??
    ((await usernameExists(db, login.toLowerCase())) ? login.toLowerCase() : undefined)
}

// The site feed (there is no site-wide comment feed: the post feed stands in), a tag's or category's,
// an author's, and a post's comment feed.
async function feed(db: Kysely<DB>, link: Extract<OldLink, { kind: 'feed' }>, format: FeedFormat): Promise<string | undefined> {
  const of = link.of
  if (!of || of.kind === 'comments') return feedUrl(format)
  if (of.kind === 'tag' || of.kind === 'category') {
    const name = await tagName(db, of.kind === 'tag' ? 'post_tag' : 'category', of.slug)
    return name ? feedUrl(format, tagUrl(name)) : undefined
  }
  if (of.kind === 'author') {
    const username = await authorUsername(db, of.login)
    return username ? feedUrl(format, userUrl(username)) : undefined
  }
  const slug = await postSlug(db, of.slug)
  return slug ? commentFeedUrl(slug, format) : undefined
}
