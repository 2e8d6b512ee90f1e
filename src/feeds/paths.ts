// Which feeds exist and where they live. Every feed comes as RSS 2.0 (`feed.xml`) and Atom 1.0
// (`feed.atom`):
//   /feed.xml                              all published posts
//   /tags/<tag>/feed.xml                   posts with a tag
//   /users/<username>/feed.xml             a person's posts
//   /users/<username>/updates/feed.xml     a person's microblog updates
//   /micro/feed.xml                        the whole microblog
//   /posts/<slug>/comments/feed.xml        the comments on a post
//   /editorial/feed.xml                    the editorial queue (editors only, always with their key)
// In internal mode (and always for the editorial feed) a feed reader adds ?key=<personal feed key>.

export type FeedFormat = 'rss' | 'atom'
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom']

export type FeedTarget =
  | { kind: 'posts' }
  | { kind: 'tag'; tag: string }
  | { kind: 'author'; username: string; name?: string }
  | { kind: 'updates'; username: string; name?: string }
  | { kind: 'micro' }
  | { kind: 'comments'; slug: string; title?: string }
  | { kind: 'editorial' }

export const FEED_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
}

const FILE: Record<FeedFormat, string> = { rss: 'feed.xml', atom: 'feed.atom' }
const seg = encodeURIComponent

/** The site-relative path of a feed, without key. */
export function feedPath(target: FeedTarget, format: FeedFormat): string {
  const file = FILE[format]
  switch (target.kind) {
    case 'posts': return `/${file}`
    case 'tag': return `/tags/${seg(target.tag)}/${file}`
    case 'author': return `/users/${seg(target.username)}/${file}`
    case 'updates': return `/users/${seg(target.username)}/updates/${file}`
    case 'micro': return `/micro/${file}`
    case 'comments': return `/posts/${seg(target.slug)}/comments/${file}`
    case 'editorial': return `/editorial/${file}`
  }
}

/** The page a feed belongs to (its HTML alternate). */
export function pagePath(target: FeedTarget): string {
  switch (target.kind) {
    case 'posts': return '/'
    case 'tag': return `/tags/${seg(target.tag)}`
    case 'author': return `/users/${seg(target.username)}`
    case 'updates': return `/users/${seg(target.username)}/updates`
    case 'micro': return '/micro'
    case 'comments': return `/posts/${seg(target.slug)}`
    case 'editorial': return '/editorial'
  }
}

/** Adds the personal key to a feed path. */
export function withKey(path: string, key: string | undefined): string {
  return key ? `${path}?key=${encodeURIComponent(key)}` : path
}

/** Feeds that need a key even on a public site. */
export function isAlwaysPrivate(target: FeedTarget): boolean {
  return target.kind === 'editorial'
}
