/**
 * A post-login redirect target that can only stay on this site: a path starting with one "/",
 * never "//host", "/\host" or anything with control characters or a scheme.
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/'
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/'
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/'
  try {
    // Resolve against a dummy origin: anything that would leave it is refused.
    const url = new URL(next, 'http://x.invalid')
    if (url.origin !== 'http://x.invalid') return '/'
    // Dot segments are resolved: "/.//evil.example" becomes "//evil.example", which leaves the site.
    if (url.pathname.startsWith('//')) return '/'
    if (url.pathname.startsWith('/login') || url.pathname.startsWith('/logout')) return '/'
    return url.pathname + url.search
  } catch {
    return '/'
  }
}
