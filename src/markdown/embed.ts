// Video and slide embeds as privacy-friendly facades: the stored HTML is a link inside
// <figure class="embed" data-embed-provider data-embed-src>, and nothing is fetched from the provider
// until a small client script swaps the figure for an iframe when the reader asks for it.
// Both the renderer (which builds facades) and the sanitizer (which validates them, also in imported
// HTML) use the patterns below, so a data-embed-src can only ever point at these embed URLs.
import { escapeHtml } from './escape.js'
import { parseUrl } from './urls.js'

export type EmbedProvider = 'youtube' | 'vimeo' | 'slideshare' | 'stream'

/**
 * Iframe URLs found for embed addresses by asking the providers (src/embeds, oEmbed), keyed by the
 * address as embedFromUrl normalises it. Made outside this module: src/markdown makes no requests.
 * Each src is validated against the provider's pattern again before it is used.
 */
export type ResolvedEmbeds = ReadonlyMap<string, string>

export interface Embed {
  provider: EmbedProvider
  /** The URL the author wrote; the facade links to it. */
  url: string
  /** The iframe URL, absent when it can neither be derived nor was resolved (then: a plain link). */
  src?: string
  /** Link text of the facade. */
  label: string
}

/** Origins the CSP `frame-src` must allow for the facade script's iframes. */
export const EMBED_FRAME_ORIGINS: string[] = [
  'https://www.youtube-nocookie.com',
  'https://player.vimeo.com',
  'https://www.slideshare.net',
  'https://web.microsoftstream.com',
  'https://*.sharepoint.com', // Stream on SharePoint: each organisation's own host
]

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const SHAREPOINT_HOST = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.sharepoint\\.com'
const SP_SEGMENT = '[A-Za-z0-9_.~-]{1,100}'

const SRC_PATTERNS: Record<EmbedProvider, RegExp> = {
  youtube: /^https:\/\/www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}$/,
  vimeo: /^https:\/\/player\.vimeo\.com\/video\/\d+\?(?:h=[0-9a-f]+&)?dnt=1$/,
  slideshare: /^https:\/\/www\.slideshare\.net\/slideshow\/embed_code\/(?:\d+|key\/[A-Za-z0-9]{6,40})$/,
  stream: new RegExp(`^https://(?:web\\.microsoftstream\\.com/embed/video/${GUID}|${SHAREPOINT_HOST}(?:/${SP_SEGMENT})*/_layouts/15/embed\\.aspx\\?UniqueId=${GUID})$`),
}

const LABELS: Record<EmbedProvider, string> = {
  youtube: 'Se videoen på YouTube',
  vimeo: 'Se videoen på Vimeo',
  slideshare: 'Se presentasjonen på SlideShare',
  stream: 'Se videoen i Microsoft Stream',
}

export function isEmbedProvider(value: string | undefined): value is EmbedProvider {
  return value !== undefined && Object.hasOwn(SRC_PATTERNS, value)
}

export function isValidEmbedSrc(provider: EmbedProvider, src: string): boolean {
  return SRC_PATTERNS[provider].test(src)
}

/**
 * The facade for an allowlisted provider URL, or undefined (the URL stays a plain link). The iframe
 * URL comes from `resolved` when the provider gave one, else from the address itself where it can.
 */
export function embedFromUrl(url: string, resolved?: ResolvedEmbeds): Embed | undefined {
  const parsed = parseUrl(url.trim())
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password || parsed.port) {
    return undefined
  }
  const host = parsed.hostname.toLowerCase().replace(/^(?:www|m)\./, '')
  const found = youtube(host, parsed) ?? vimeo(host, parsed) ?? slideshare(host, parsed) ?? stream(host, parsed)
  if (!found) return undefined
  const embed: Embed = { provider: found.provider, url: parsed.href, label: LABELS[found.provider] }
  const answer = resolved?.get(parsed.href)
  const src = answer !== undefined && isValidEmbedSrc(found.provider, answer) ? answer : found.src
  if (src !== undefined) embed.src = src
  return embed
}

// A stored facade (as the sanitizer leaves it): its opening up to the link text, and its end.
const STORED_FACADE = /(<figure class="embed" data-embed-provider="(youtube|vimeo|slideshare|stream)"[^>]*><a [^>]*>)[^<]*(<\/a><\/figure>)/g

/**
 * The facades' link texts in the reader's language. They are stored in bokmål (the site's language,
 * which feeds keep); a page swaps in its reader's own.
 */
export function localiseEmbeds(html: string, label: (provider: EmbedProvider) => string): string {
  if (!html.includes('<figure class="embed"')) return html
  return html.replace(STORED_FACADE, (_all, open: string, provider: EmbedProvider, close: string) => open + escapeHtml(label(provider)) + close)
}

/** The stored markup; the sanitizer accepts exactly this shape. */
export function embedFacadeHtml(embed: Embed): string {
  const src = embed.src === undefined ? '' : ` data-embed-src="${escapeHtml(embed.src)}"`
  return `<figure class="embed" data-embed-provider="${embed.provider}"${src}>` +
    `<a href="${escapeHtml(embed.url)}">${escapeHtml(embed.label)}</a></figure>\n`
}

type Found = { provider: EmbedProvider; src?: string } | undefined

function youtube(host: string, url: URL): Found {
  let id: string | null | undefined
  if (host === 'youtu.be') id = /^\/([^/]+)\/?$/.exec(url.pathname)?.[1]
  else if (host === 'youtube.com' && url.pathname === '/watch') id = url.searchParams.get('v')
  else if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    id = /^\/(?:embed|shorts)\/([^/]+)\/?$/.exec(url.pathname)?.[1]
  }
  if (!id || !/^[A-Za-z0-9_-]{11}$/.test(id)) return undefined
  return { provider: 'youtube', src: `https://www.youtube-nocookie.com/embed/${id}` }
}

// vimeo.com/123 and unlisted vimeo.com/123/abcdef (the hash must travel along as ?h=).
function vimeo(host: string, url: URL): Found {
  let m: RegExpExecArray | null = null
  let hash: string | null | undefined
  if (host === 'vimeo.com') {
    m = /^\/(\d+)(?:\/([0-9a-f]+))?\/?$/.exec(url.pathname)
    hash = m?.[2]
  } else if (host === 'player.vimeo.com') {
    m = /^\/video\/(\d+)\/?$/.exec(url.pathname)
    hash = url.searchParams.get('h')
  }
  if (!m) return undefined
  const h = hash && /^[0-9a-f]+$/.test(hash) ? `h=${hash}&` : ''
  return { provider: 'vimeo', src: `https://player.vimeo.com/video/${m[1]}?${h}dnt=1` }
}

// SlideShare's embed key needs their API; we can only embed when the URL carries the numeric id
// (…/slideshow/embed_code/123, …/slideshow/title/123 or …/user/title-123456). Otherwise: a link facade.
function slideshare(host: string, url: URL): Found {
  if (host !== 'slideshare.net' && !host.endsWith('.slideshare.net')) return undefined
  const segments = url.pathname.split('/').filter(Boolean)
  if (segments.length < 2) return undefined // a profile or the front page, not a presentation
  const last = segments[segments.length - 1] ?? ''
  const id = /^\d{4,}$/.exec(last)?.[0] ?? /-(\d{6,})$/.exec(last)?.[1]
  return id ? { provider: 'slideshare', src: `https://www.slideshare.net/slideshow/embed_code/${id}` }
    : { provider: 'slideshare' }
}

// Classic Stream by GUID; Stream on SharePoint (…sharepoint.com/:v:/…, …/_layouts/15/stream.aspx?id=…)
// only through the organisation's oEmbed answer.
function stream(host: string, url: URL): Found {
  if (new RegExp(`^${SHAREPOINT_HOST}$`).test(host)) {
    const video = url.pathname.startsWith('/:v:/') || /\/_layouts\/15\/(?:stream|embed)\.aspx$/i.test(url.pathname)
    return video ? { provider: 'stream' } : undefined
  }
  if (host !== 'web.microsoftstream.com') return undefined
  const id = new RegExp(`^/video/(${GUID})/?$`, 'i').exec(url.pathname)?.[1]?.toLowerCase()
  return id ? { provider: 'stream', src: `https://web.microsoftstream.com/embed/video/${id}` } : undefined
}
