// The oEmbed answer for a post: a "rich" card that frames /widgets/post/<slug>. Plain functions.
import { escapeHtml } from '../markdown/escape.js'

/** The slug of a post address on this site (https://site/posts/<slug>), or undefined. */
export function parsePostUrl(text: string, baseUrl: string): string | undefined {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.origin !== new URL(baseUrl).origin) return undefined
  const m = /^\/posts\/([^/]+)\/?$/.exec(url.pathname)
  if (!m) return undefined
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return undefined
  }
}

const WIDTH = 600
const HEIGHT = 240
const MIN = 200

export interface OEmbedOptions { baseUrl: string; siteName: string; key?: string; maxwidth?: number; maxheight?: number }

export function oembedFor(
  post: { slug: string; title: string },
  author: { username: string; display_name: string } | undefined,
  o: OEmbedOptions,
) {
  const width = Math.max(MIN, Math.min(WIDTH, o.maxwidth ?? WIDTH))
  const height = Math.max(MIN / 2, Math.min(HEIGHT, o.maxheight ?? HEIGHT))
  const src = new URL(`/widgets/post/${encodeURIComponent(post.slug)}`, o.baseUrl)
  if (o.key) src.searchParams.set('key', o.key)
  return {
    version: '1.0',
    type: 'rich',
    title: post.title,
    provider_name: o.siteName,
    provider_url: new URL('/', o.baseUrl).href,
    ...(author ? { author_name: author.display_name, author_url: new URL(`/users/${encodeURIComponent(author.username)}`, o.baseUrl).href } : {}),
    width,
    height,
    cache_age: 3600,
    html: `<iframe src="${escapeHtml(src.href)}" width="${width}" height="${height}" title="${escapeHtml(post.title)}" loading="lazy" style="border:0"></iframe>`,
  }
}

/** The <link rel="alternate"> that lets an oEmbed consumer find the card from a post's page. */
export function oembedDiscovery(baseUrl: string, post: { slug: string; title: string }) {
  const url = new URL(`/posts/${encodeURIComponent(post.slug)}`, baseUrl).href
  return { type: 'application/json+oembed', title: post.title, href: `/oembed?url=${encodeURIComponent(url)}&format=json` }
}
