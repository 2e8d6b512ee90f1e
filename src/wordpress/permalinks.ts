// Recognises the URLs the old WordPress blog answered to, so the app can redirect them. Pure: the
// caller looks the result up (post by WordPress id or slug, tag by slug…) and picks the new URL.

type FeedOf =
  | { kind: 'tag'; slug: string }
  | { kind: 'category'; slug: string }
  | { kind: 'author'; login: string }
  | { kind: 'post-slug'; slug: string }
  | { kind: 'comments' }

export type OldLink =
  | { kind: 'home' }
  | { kind: 'post-id'; id: number }
  | { kind: 'page-id'; id: number }
  /** Postname or date permalinks; path holds every segment for hierarchical pages (/om/kontakt/). */
  | { kind: 'post-slug'; slug: string; path: string[]; year?: number; month?: number; day?: number }
  | { kind: 'archive'; year: number; month?: number; day?: number }
  | { kind: 'tag'; slug: string }
  /** path holds the parents too: /category/a/b/ → slug 'b', path ['a', 'b']. */
  | { kind: 'category'; slug: string; path: string[] }
  | { kind: 'category-id'; id: number }
  | { kind: 'author'; login: string }
  | { kind: 'author-id'; id: number }
  | { kind: 'feed'; of?: FeedOf }
  | { kind: 'search'; query: string }
  /** A file under wp-content/uploads/: path is relative to that folder. */
  | { kind: 'upload'; path: string }

/** Percent-decodes a WordPress slug (WordPress stores `bl%c3%a5b%c3%a6r`); malformed input stays as is. */
export function decodeWpSlug(slug: string): string {
  if (!slug.includes('%')) return slug
  try {
    return decodeURIComponent(slug)
  } catch {
    return slug
  }
}

const NOT_CONTENT = /^(wp-admin|wp-includes|wp-content|wp-json|xmlrpc\.php|wp-login\.php|wp-cron\.php|wp-.*\.php)$/
const FEED_NAMES = new Set(['feed', 'rss', 'rss2', 'atom', 'rdf'])
// Suffixes WordPress accepts after a post or archive URL that still mean the same page.
const TRAILERS = /^(page|comment-page-\d+|trackback|amp|embed)$/

function fromQuery(query: URLSearchParams): OldLink | undefined {
  const id = (name: string) => {
    const v = query.get(name)
    return v !== null && /^\d+$/.test(v) ? Number(v) : undefined
  }
  const p = id('p') ?? id('attachment_id')
  if (p !== undefined) return { kind: 'post-id', id: p }
  const pageId = id('page_id')
  if (pageId !== undefined) return { kind: 'page-id', id: pageId }
  const cat = id('cat')
  if (cat !== undefined) return { kind: 'category-id', id: cat }
  const author = id('author')
  if (author !== undefined) return { kind: 'author-id', id: author }
  const tag = query.get('tag')
  if (tag) return { kind: 'tag', slug: tag }
  if (query.get('feed')) return { kind: 'feed' }
  const s = query.get('s')
  if (s !== null) return { kind: 'search', query: s }
  return undefined
}

function segmentsOf(path: string): string[] {
  const parts = path.split('/').filter((s) => s !== '').map(decodeWpSlug)
  if (parts[0] === 'index.php') parts.shift() // PATH_INFO permalinks: /index.php/2009/05/slug/
  // Drop /page/2, /comment-page-3, /trackback, /amp at the end.
  while (parts.length > 0) {
    const last = parts[parts.length - 1]!
    const beforeLast = parts[parts.length - 2]
    if (/^\d+$/.test(last) && beforeLast === 'page') parts.splice(-2)
    else if (parts.length > 1 && TRAILERS.test(last) && last !== 'page') parts.pop()
    else break
  }
  return parts
}

const isYear = (s: string | undefined) => s !== undefined && /^(19|20)\d\d$/.test(s)
const isTwoDigits = (s: string | undefined) => s !== undefined && /^\d\d$/.test(s)

function fromDatePath(parts: string[]): OldLink {
  const [y, m, d] = parts
  const year = Number(y)
  const month = isTwoDigits(m) ? Number(m) : undefined
  const day = month !== undefined && isTwoDigits(d) ? Number(d) : undefined
  const rest = withoutPageNumber(parts.slice(1 + (month === undefined ? 0 : 1) + (day === undefined ? 0 : 1)))
  if (rest.length === 0) return { kind: 'archive', year, month, day }
  const slug = rest[rest.length - 1]!
  return { kind: 'post-slug', slug, path: rest, year, month, day }
}

function fromSegments(parts: string[]): OldLink | undefined {
  const [first, second] = parts
  if (first === undefined) return { kind: 'home' }
  if (first === 'wp-content' && second === 'uploads' && parts.length > 2) {
    return { kind: 'upload', path: parts.slice(2).join('/') }
  }
  if (NOT_CONTENT.test(first)) return undefined
  if (FEED_NAMES.has(parts[parts.length - 1]!)) return feedOf(parts.slice(0, -1))
  if (first === 'tag' && second) return { kind: 'tag', slug: second }
  if (first === 'category' && second) return { kind: 'category', slug: parts[parts.length - 1]!, path: parts.slice(1) }
  if (first === 'author' && second) return { kind: 'author', login: second }
  if (isYear(first)) return fromDatePath(parts)
  const path = withoutPageNumber(parts)
  return { kind: 'post-slug', slug: path[path.length - 1]!, path }
}

/** /slug/2/ is page 2 of a post split with <!--nextpage-->. */
function withoutPageNumber(parts: string[]): string[] {
  return parts.length > 1 && /^\d+$/.test(parts[parts.length - 1]!) ? parts.slice(0, -1) : parts
}

function feedOf(parts: string[]): OldLink | undefined {
  if (parts[parts.length - 1] === 'feed') parts = parts.slice(0, -1) // /feed/rss2/
  if (parts.length === 0) return { kind: 'feed' }
  if (parts.length === 1 && parts[0] === 'comments') return { kind: 'feed', of: { kind: 'comments' } }
  const of = fromSegments(parts)
  if (of?.kind === 'tag' || of?.kind === 'author') return { kind: 'feed', of }
  if (of?.kind === 'category') return { kind: 'feed', of: { kind: 'category', slug: of.slug } }
  if (of?.kind === 'post-slug') return { kind: 'feed', of: { kind: 'post-slug', slug: of.slug } }
  return undefined
}

/**
 * What an old blog URL pointed at. Takes a path with query ("/2009/05/slug/?x=1"), or a full URL
 * whose host the caller has already checked; basePath strips a subfolder install ("/blogg").
 */
export function parseWordPressPath(pathWithQuery: string, basePath = ''): OldLink | undefined {
  let url: URL
  try {
    url = new URL(pathWithQuery, 'http://old.invalid')
  } catch {
    return undefined
  }
  const byQuery = fromQuery(url.searchParams)
  if (byQuery) return byQuery
  let path = url.pathname
  const base = basePath.replace(/\/+$/, '')
  if (base !== '') {
    if (path !== base && !path.startsWith(`${base}/`)) return undefined
    path = path.slice(base.length)
  }
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/')
  return fromSegments(segmentsOf(path))
}

/**
 * The key an old URL is stored and looked up by, whatever the permalink structure: its path with each
 * segment percent-decoded and lower-cased, no trailing slash, and its query sorted ('/om/kontakt',
 * '/2009/05/21/blåbær', '/?p=123'). The host is dropped: old links reach this site with its own.
 */
export function oldUrlKey(url: string): string | undefined {
  let u: URL
  try {
    u = new URL(url, 'http://old.invalid')
  } catch {
    return undefined
  }
  const path = `/${u.pathname.split('/').filter((s) => s !== '').map((s) => decodeWpSlug(s).toLowerCase()).join('/')}`
  const query = [...u.searchParams].map(([k, v]): [string, string] => [k.toLowerCase(), v]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return query.length ? `${path}?${new URLSearchParams(query).toString()}` : path
}
