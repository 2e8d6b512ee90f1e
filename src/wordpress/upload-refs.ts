// Finds the old blog's own files referenced from post HTML, so the importer can copy them from an
// uploads folder and point the HTML at the new copies. The blog's own files are those under
// wp-content/uploads/ on its own host, and those under its upload host's base (where its attachments'
// attachment_url live: https://blogg.files.wordpress.com/2009/05/x.jpg, /files/2009/05/x.jpg).
import { buildStartTag, escapeHtml, parseAttributes, startTags } from './html-utils.js'

export interface UploadContext {
  /** The old blog's addresses (base_site_url, base_blog_url, aliases); absolute URLs elsewhere are not ours. */
  siteUrls: readonly string[]
  /**
   * Where the blog's uploads folder is served from, when not at wp-content/uploads/ on its own host:
   * 'https://blogg.files.wordpress.com/'. See uploadBasesOf().
   */
  uploadBases?: readonly string[]
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

// Jetpack's image CDN serves https://i0.wp.com/<host>/<path>: the file is still the blog's own.
const PHOTON = /^(?:https?:)?\/\/i[0-3]\.wp\.com\/([^?#]+)/i

/** A URL's host (no www.) and path, or undefined when it is not an absolute http(s) URL. */
function hostAndPath(url: string): { host: string; path: string } | undefined {
  const photon = PHOTON.exec(url)
  if (photon) url = `https://${photon[1]}`
  try {
    const u = new URL(url.startsWith('//') ? `https:${url}` : url)
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined
    return { host: u.hostname.toLowerCase().replace(/^www\./, ''), path: u.pathname }
  } catch {
    return undefined
  }
}

/** The part of path below one of the upload bases on this host ('' bases never match). */
function belowBase(host: string | undefined, path: string, bases: readonly string[]): string | undefined {
  for (const base of bases) {
    const b = hostAndPath(base)
    if (!b || (host !== undefined && b.host !== host)) continue
    const prefix = b.path.endsWith('/') ? b.path : `${b.path}/`
    if (path.toLowerCase().startsWith(prefix.toLowerCase()) && path.length > prefix.length) return path.slice(prefix.length)
  }
  return undefined
}

function checkedPath(encoded: string): UploadPath | undefined {
  const decoded = safeDecode(encoded)
  // The importer reads files by this path: refuse anything that could leave the uploads folder.
  if (!decoded || /[\\\0]/.test(decoded) || decoded.split('/').some((s) => s === '' || s === '.' || s === '..')) return undefined
  return { uploadPath: decoded, originalPath: originalOf(decoded) }
}

/** The uploads-relative path of a URL on the old site, or undefined for anything else. */
export function uploadPathOf(url: string, ctx: UploadContext): UploadPath | undefined {
  const raw = url.trim()
  const bases = ctx.uploadBases ?? []
  let path: string
  if (/^([a-z][a-z0-9+.-]*:)?\/\//i.test(raw)) {
    const at = hostAndPath(raw)
    if (!at) return undefined
    const below = belowBase(at.host, at.path, bases)
    if (below !== undefined) return checkedPath(below)
    if (!ctx.siteUrls.some((site) => hostOf(site) === at.host)) return undefined
    path = at.path
  } else if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) {
    return undefined // data:, mailto:, javascript:
  } else {
    path = raw.replace(/[?#].*$/, '')
    // A root-relative link on the blog's own host to an upload base there (/files/2009/05/x.jpg).
    const ownBases = bases.filter((b) => ctx.siteUrls.some((site) => hostOf(site) === hostOf(b)))
    const below = path.startsWith('/') ? belowBase(undefined, path, ownBases) : undefined
    if (below !== undefined) return checkedPath(below)
  }
  const at = path.search(/(^|\/)wp-content\/uploads\//)
  if (at === -1) return undefined
  return checkedPath(path.slice(path.indexOf('wp-content/uploads/', at) + 'wp-content/uploads/'.length))
}

/**
 * The upload bases of an export, from its attachments: each attachment_url minus the attachment's
 * file path (_wp_attached_file), or minus its /YYYY/MM/file tail. The root of the blog's own host is
 * never a base: its pages are not uploads.
 */
export function uploadBasesOf(attachments: Iterable<{ url: string; file?: string }>, siteUrls: readonly string[]): string[] {
  const ownHosts = new Set(siteUrls.map(hostOf))
  const bases = new Set<string>()
  for (const { url, file } of attachments) {
    const at = hostAndPath(url)
    if (!at) continue
    const path = safeDecode(at.path) ?? at.path
    let base: string | undefined
    if (file && path.endsWith(`/${file}`)) base = path.slice(0, path.length - file.length)
    else if (/\/wp-content\/uploads\//.test(path)) base = path.slice(0, path.indexOf('/wp-content/uploads/') + '/wp-content/uploads/'.length)
    else base = /^(.*\/)\d{4}\/\d{2}\/[^/]+$/.exec(path)?.[1]
    if (base === undefined || (base === '/' && ownHosts.has(at.host))) continue
    bases.add(`https://${at.host}${encodeURI(base)}`)
  }
  return [...bases]
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
