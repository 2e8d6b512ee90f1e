// Finds the old blog's own files (wp-content/uploads/…) referenced from post HTML, so the importer
// can copy them from an uploads folder and point the HTML at the new copies.
import { buildStartTag, escapeHtml, parseAttributes, startTags } from './html-utils.js'

export interface UploadContext {
  /** The old blog's addresses (base_site_url, base_blog_url, aliases); absolute URLs elsewhere are not ours. */
  siteUrls: readonly string[]
}

export interface UploadPath {
  /** Below wp-content/uploads/, percent-decoded, never containing '..': '2009/05/foo-300x200.jpg'. */
  uploadPath: string
  /** The full-size file WordPress resized from ('2009/05/foo.jpg'), when uploadPath is a resized copy. */
  originalPath: string | undefined
}

export interface ImageRef extends UploadPath {
  /** The src attribute, entity-decoded, as written in the post. */
  src: string
  alt: string
}

export interface LinkRef extends UploadPath {
  /** The href attribute, entity-decoded: typically a PDF or the full-size image behind a thumbnail. */
  href: string
}

export type ImageRewrite = string | { missing: true; alt: string } | undefined

const hostOf = (url: string) => {
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url).hostname.toLowerCase().replace(/^www\./, '')
  } catch {
    return undefined
  }
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}

/** The uploads-relative path of a URL on the old site, or undefined for anything else. */
export function uploadPathOf(url: string, ctx: UploadContext): UploadPath | undefined {
  const raw = url.trim()
  if (/^([a-z][a-z0-9+.-]*:)?\/\//i.test(raw)) {
    const host = hostOf(raw)
    if (!host || !ctx.siteUrls.some((site) => hostOf(site) === host)) return undefined
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    return undefined // data:, mailto:, javascript:
  }
  const path = raw.replace(/[?#].*$/, '')
  const at = path.search(/(^|\/)wp-content\/uploads\//)
  if (at === -1) return undefined
  const decoded = safeDecode(path.slice(path.indexOf('wp-content/uploads/', at) + 'wp-content/uploads/'.length))
  // The importer reads files by this path: refuse anything that could leave the uploads folder.
  if (!decoded || /[\\\0]/.test(decoded) || decoded.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined
  return { uploadPath: decoded, originalPath: originalOf(decoded) }
}

/** foo-300x200.jpg, foo-scaled.jpg and foo-rotated.jpg are copies WordPress made of foo.jpg. */
function originalOf(path: string): string | undefined {
  const m = /^(.*?)(-\d+x\d+|-scaled|-rotated)(\.[a-z0-9]+)$/i.exec(path)
  return m ? `${m[1]}${m[3]}` : undefined
}

export function findImageRefs(html: string, ctx: UploadContext): ImageRef[] {
  const refs = new Map<string, ImageRef>()
  for (const [tag] of html.matchAll(startTags('img'))) {
    const attrs = parseAttributes(tag)
    const src = attrs.get('src') ?? ''
    const path = uploadPathOf(src, ctx)
    if (path && !refs.has(src)) refs.set(src, { src, alt: attrs.get('alt') ?? '', ...path })
  }
  return [...refs.values()]
}

export function findLinkRefs(html: string, ctx: UploadContext): LinkRef[] {
  const refs = new Map<string, LinkRef>()
  for (const [tag] of html.matchAll(startTags('a'))) {
    const href = parseAttributes(tag).get('href') ?? ''
    const path = uploadPathOf(href, ctx)
    if (path && !refs.has(href)) refs.set(href, { href, ...path })
  }
  return [...refs.values()]
}

/** Visible stand-in for an image whose file was not in the uploads folder. */
export function missingImage(alt: string): string {
  return `<span class="missing-image">[Bilde mangler${alt.trim() ? `: ${escapeHtml(alt.trim())}` : ''}]</span>`
}

/**
 * Points each uploads <img> at map(ref): a new URL, { missing } for a placeholder, or undefined to
 * leave it. srcset/sizes go too: they list the old site's resized copies.
 */
export function rewriteImageSources(html: string, ctx: UploadContext, map: (ref: ImageRef) => ImageRewrite): string {
  return html.replace(startTags('img'), (tag) => {
    const attrs = parseAttributes(tag)
    const src = attrs.get('src') ?? ''
    const path = uploadPathOf(src, ctx)
    if (!path) return tag
    const next = map({ src, alt: attrs.get('alt') ?? '', ...path })
    if (next === undefined) return tag
    if (typeof next !== 'string') return missingImage(next.alt)
    attrs.set('src', next)
    attrs.delete('srcset')
    attrs.delete('sizes')
    return buildStartTag('img', attrs)
  })
}

/** Points each uploads <a href> at map(ref), or leaves it when map returns undefined. */
export function rewriteUploadLinks(html: string, ctx: UploadContext, map: (ref: LinkRef) => string | undefined): string {
  return html.replace(startTags('a'), (tag) => {
    const attrs = parseAttributes(tag)
    const href = attrs.get('href') ?? ''
    const path = uploadPathOf(href, ctx)
    const next = path ? map({ href, ...path }) : undefined
    if (next === undefined) return tag
    attrs.set('href', next)
    return buildStartTag('a', attrs)
  })
}
