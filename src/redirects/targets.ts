// Where old WordPress URLs lead: the new site's pages and feeds. One place, so a page that moves is
// one edit here.
export type FeedFormat = 'rss' | 'atom'

const FEED_EXT: Record<FeedFormat, string> = { rss: 'xml', atom: 'atom' }

export const postUrl = (slug: string) => `/posts/${encodeURIComponent(slug)}`
export const tagUrl = (name: string) => `/tags/${encodeURIComponent(name)}`
export const userUrl = (username: string) => `/users/${encodeURIComponent(username)}`
export const searchUrl = (query: string) => `/search?q=${encodeURIComponent(query)}`
/** path: relative to DATA_DIR/uploads, as stored in uploads.path. */
export const uploadUrl = (path: string) => `/uploads/${path}`

/** The site's feed (WordPress's /feed/), or the feed of a page: `feedUrl('/tags/ikt')`. */
export const feedUrl = (format: FeedFormat, page = '') => `${page}/feed.${FEED_EXT[format]}`
/** A post's comment feed (WordPress's /2009/05/slug/feed/). */
export const commentFeedUrl = (slug: string, format: FeedFormat) => `${postUrl(slug)}/comments/feed.${FEED_EXT[format]}`
