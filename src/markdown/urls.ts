// URL rules shared by the sanitizer and the renderer. Browsers drop tabs and newlines inside URLs and
// treat `\` like `/`, so any of those (or other controls/whitespace) make a URL unsafe to judge: reject.
const UNSAFE_CHARS = /[\s\u0000-\u001f\u007f-\u009f\\]/u
const UPLOAD_PATH = /^\/uploads\/[A-Za-z0-9/_.-]+$/

export interface SafeLink {
  href: string
  /** Absolute http(s) link: gets rel="noopener noreferrer ugc". */
  external: boolean
}

/**
 * Accepts http(s) and mailto URLs, site-relative paths (`/…`, never `//host`) and in-page fragments
 * (`#heading`, so the heading anchors are usable). Everything else is undefined: the caller drops the link.
 */
export function checkHref(raw: string | undefined): SafeLink | undefined {
  const href = raw?.trim()
  if (!href || UNSAFE_CHARS.test(href)) return undefined
  if (href.startsWith('#')) return { href, external: false }
  if (href.startsWith('/')) return href.startsWith('//') ? undefined : { href, external: false }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase()
  if (scheme === 'mailto') return { href, external: false }
  if (scheme !== 'http' && scheme !== 'https') return undefined
  const url = parseUrl(href)
  // user:pass@ in a link is a phishing trick ("https://trondheim.kommune.no@evil.example").
  if (!url?.hostname || url.username || url.password) return undefined
  return { href, external: true }
}

/** Images may only come from our own uploads. */
export function isUploadPath(src: string | undefined): src is string {
  return src !== undefined && UPLOAD_PATH.test(src) && !src.includes('..')
}

export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}
