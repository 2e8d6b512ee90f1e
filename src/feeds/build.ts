// Feed data → RSS 2.0 or Atom 1.0 XML. Pure: no database, no HTTP.
//
// Text fields are plain text; contentHtml is sanitized HTML from src/markdown (stored *_html columns).
// Everything is written through ./xml.ts as escaped text, so whatever people type stays text. Titles
// and summaries are HTML-escaped once more where the format (Atom type="html") or the readers (RSS
// <title> and <description>, which readers treat as HTML) interpret them as HTML: "<link>" in a title
// is shown as "<link>", never acted on. RSS has no author element for a name without an e-mail
// address, so authors go into dc:creator there; its namespaces are always declared.
import sanitize from 'sanitize-html'
import { escapeHtml } from '../markdown/escape.js'
import type { FeedFormat } from './paths.js'
import { el, parent, XML_DECLARATION } from './xml.js'

export interface FeedEntry {
  /** Never changes for the item (a tag: URI made of the row id), whatever happens to title or slug. */
  id: string
  title: string
  url: string
  author: { name: string; url?: string }
  published: Date
  updated: Date
  /** Sanitized HTML with absolute URLs (see absoluteUrls). */
  contentHtml: string
  summary: string
  categories: { term: string; url: string }[]
}

export interface FeedDocument {
  /** The feed's own stable id: its canonical Atom URL (without key). */
  id: string
  title: string
  description: string
  language: string
  /** Absolute URL of the HTML page this feed belongs to. */
  pageUrl: string
  /** The feed's own addresses (rel="self"); see SELF_KEY for keyed feeds. */
  self: Record<FeedFormat, string>
  entries: FeedEntry[]
  /** When nothing is in the feed: the date it gives (a fixed one, so its ETag stays put). */
  updated: Date
}

const ATOM_NS = 'http://www.w3.org/2005/Atom'

export function renderFeed(doc: FeedDocument, format: FeedFormat): string {
  const updated = latest(doc.entries) ?? doc.updated
  return XML_DECLARATION + (format === 'atom' ? atomFeed(doc, updated) : rssFeed(doc, updated)) + '\n'
}

function atomFeed(doc: FeedDocument, updated: Date): string {
  return parent('feed', { xmlns: ATOM_NS, 'xml:lang': doc.language }, [
    el('id', {}, doc.id),
    el('title', {}, doc.title),
    el('updated', {}, updated.toISOString()),
    el('generator', {}, 'Betablogg'),
    el('link', { rel: 'alternate', href: doc.pageUrl }),
    el('link', { rel: 'self', href: doc.self.atom }),
    el('subtitle', {}, doc.description),
    ...doc.entries.map(atomEntry),
  ])
}

function atomEntry(e: FeedEntry): string {
  return parent('entry', {}, [
    el('title', { type: 'html' }, escapeHtml(e.title)),
    el('id', {}, e.id),
    el('link', { href: e.url }),
    el('updated', {}, e.updated.toISOString()),
    e.summary ? el('summary', { type: 'html' }, escapeHtml(e.summary)) : '',
    e.contentHtml ? el('content', { type: 'html' }, e.contentHtml) : '',
    parent('author', {}, [el('name', {}, e.author.name), e.author.url ? el('uri', {}, e.author.url) : '']),
    ...e.categories.map((c) => el('category', { label: c.term, scheme: c.url.replace(/[^/]*$/, ''), term: c.term })),
    el('published', {}, e.published.toISOString()),
  ])
}

function rssFeed(doc: FeedDocument, updated: Date): string {
  const channel = parent('channel', {}, [
    el('title', {}, doc.title),
    el('link', {}, doc.pageUrl),
    el('description', {}, doc.description),
    el('lastBuildDate', {}, updated.toUTCString()),
    el('docs', {}, 'https://www.rssboard.org/rss-specification'),
    el('generator', {}, 'Betablogg'),
    el('language', {}, doc.language),
    el('ttl', {}, '15'),
    el('atom:link', { href: doc.self.rss, rel: 'self', type: 'application/rss+xml' }),
    ...doc.entries.map(rssItem),
  ])
  return parent('rss', {
    version: '2.0', 'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
    'xmlns:content': 'http://purl.org/rss/1.0/modules/content/', 'xmlns:atom': ATOM_NS,
  }, [channel])
}

function rssItem(e: FeedEntry): string {
  // Readers that show only <description> get the content when there is no summary.
  const description = e.summary ? escapeHtml(e.summary) : e.contentHtml
  return parent('item', {}, [
    el('title', {}, escapeHtml(e.title)),
    el('link', {}, e.url),
    el('guid', { isPermaLink: 'false' }, e.id),
    el('pubDate', {}, e.published.toUTCString()),
    description ? el('description', {}, description) : '',
    e.contentHtml ? el('content:encoded', {}, e.contentHtml) : '',
    el('dc:creator', {}, e.author.name),
    ...e.categories.map((c) => el('category', {}, c.term)),
  ])
}

/** The newest updated date of the entries: the feed's Last-Modified. */
export function latest(entries: FeedEntry[]): Date | undefined {
  let max: Date | undefined
  for (const e of entries) if (!max || e.updated > max) max = e.updated
  return max
}

/**
 * Makes the links and images of stored HTML absolute, as feed readers show content away from the
 * site: "/uploads/x.jpg" → "https://site/uploads/x.jpg", "#heading" → "<page URL>#heading".
 * The input is already sanitized; this pass keeps every tag and attribute and changes only URLs.
 */
export function absoluteUrls(html: string, baseUrl: string, pageUrl: string): string {
  const fix = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined
    if (value.startsWith('/') && !value.startsWith('//')) return baseUrl + value
    if (value.startsWith('#')) return pageUrl + value
    return value
  }
  return sanitize(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    allowVulnerableTags: true, // nothing is allowed that the stored HTML does not already contain
    transformTags: {
      '*': (tagName, attribs) => {
        const out = { ...attribs }
        for (const name of ['href', 'src', 'poster']) {
          const fixed = fix(out[name])
          if (fixed !== undefined) out[name] = fixed
        }
        return { tagName, attribs: out }
      },
    },
  })
}
