// Feed data → RSS 2.0 or Atom 1.0 XML, with the `feed` package. Pure: no database, no HTTP.
//
// Text fields are plain text; contentHtml is sanitized HTML from src/markdown (stored *_html columns).
// Atom's title and summary are declared type="html", so plain text is escaped for them; RSS titles stay
// plain text, as feed readers expect. RSS has no author element for a name without an e-mail address,
// so authors go into dc:creator there.
import { Feed, type Item } from 'feed'
import sanitize from 'sanitize-html'
import { escapeHtml } from '../markdown/escape.js'
import type { FeedFormat } from './paths.js'

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
  self: Record<FeedFormat, string>
  entries: FeedEntry[]
  /** When nothing is in the feed: the time it is built. */
  updated?: Date
}

// Characters XML 1.0 does not allow at all; one in a title would make the whole feed unreadable.
const NOT_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu

export function renderFeed(doc: FeedDocument, format: FeedFormat): string {
  const updated = doc.updated ?? latest(doc.entries) ?? new Date(0)
  const feed = new Feed({
    id: doc.id, title: doc.title, description: doc.description, link: doc.pageUrl, language: doc.language,
    updated, generator: 'Betablogg', feedLinks: { rss: doc.self.rss, atom: doc.self.atom },
    ttl: format === 'rss' ? 15 : undefined,
  })
  for (const e of doc.entries) feed.addItem(format === 'atom' ? atomItem(e) : rssItem(e))
  const xml = format === 'atom' ? feed.atom1() : feed.rss2()
  return xml.replace(NOT_XML, '')
}

function atomItem(e: FeedEntry): Item {
  return {
    id: e.id, title: escapeHtml(e.title), link: e.url, date: e.updated, published: e.published,
    description: e.summary ? escapeHtml(e.summary) : undefined, content: e.contentHtml,
    author: [{ name: e.author.name, link: e.author.url }],
    category: e.categories.map((c) => ({ term: c.term, name: c.term, scheme: c.url.replace(/[^/]*$/, '') })),
  }
}

function rssItem(e: FeedEntry): Item {
  return {
    id: e.id, title: e.title, link: e.url, date: e.published, published: e.published,
    description: e.summary ? escapeHtml(e.summary) : undefined, content: e.contentHtml,
    category: e.categories.map((c) => ({ name: c.term })),
    extensions: [{ name: 'dc:creator', objects: { _text: e.author.name } }],
  }
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
