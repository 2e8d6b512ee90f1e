// The origins an administrator allows to frame our widgets (CSP frame-ancestors). An origin is a
// scheme, a host and an optional port, nothing more: a path or a wildcard would widen the door
// beyond what the administrator read.
export const MAX_ORIGINS = 20

export type OriginProblem = 'widgets.origins.invalid' | 'widgets.origins.tooMany'

/** Parses one origin per line (spaces and commas also separate); the normalised list or a problem. */
export function parseOrigins(text: string): { origins: string[] } | { problem: OriginProblem; bad?: string } {
  const parts = text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean)
  const origins: string[] = []
  for (const part of parts) {
    const origin = normaliseOrigin(part)
    if (!origin) return { problem: 'widgets.origins.invalid', bad: part }
    if (!origins.includes(origin)) origins.push(origin)
  }
  if (origins.length > MAX_ORIGINS) return { problem: 'widgets.origins.tooMany' }
  return { origins }
}

/** "https://Intranett.Trondheim.kommune.no/" → "https://intranett.trondheim.kommune.no"; else undefined. */
export function normaliseOrigin(text: string): string | undefined {
  if (text.length > 300 || /[*'";\s]/.test(text)) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return undefined
  if (!url.hostname) return undefined
  return url.origin
}

/** The stored form of the list (settings hold strings). */
export function storeOrigins(origins: string[]): string {
  return origins.join(' ')
}

export function loadOrigins(stored: string | undefined): string[] {
  if (!stored) return []
  return stored.split(/[\s,]+/).map((s) => normaliseOrigin(s)).filter((s): s is string => !!s)
}
