// The oEmbed endpoints we ask, one per provider, and how each provider's answer becomes an iframe URL
// our sanitizer accepts (src/markdown/embed.ts holds the accepted patterns). Nothing else is taken
// from an answer: its HTML is never stored, only the src of its iframe, rebuilt from its parts.
import { isValidEmbedSrc, type EmbedProvider } from '../markdown/index.js'

/** The providers' own endpoints; Microsoft Stream has none of its own (each organisation's SharePoint). */
export const DEFAULT_ENDPOINTS: Partial<Record<EmbedProvider, string>> = {
  youtube: 'https://www.youtube.com/oembed',
  vimeo: 'https://vimeo.com/api/oembed.json',
  slideshare: 'https://www.slideshare.net/api/oembed/2',
}

/** The oEmbed request URL for an address, or undefined when the provider has no endpoint configured. */
export function oembedRequestUrl(endpoint: string, address: string): string {
  const url = new URL(endpoint)
  url.searchParams.set('url', address)
  url.searchParams.set('format', 'json')
  return url.href
}

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i

/** The iframe URL in an oEmbed answer's HTML, in the form the sanitizer accepts, or undefined. */
export function iframeSrcFromOembed(provider: EmbedProvider, html: unknown): string | undefined {
  if (typeof html !== 'string') return undefined
  const raw = /<iframe\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(html)
  const value = (raw?.[1] ?? raw?.[2])?.replace(/&amp;/g, '&')
  if (!value) return undefined
  let url: URL
  try { url = new URL(value.startsWith('//') ? `https:${value}` : value) } catch { return undefined }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return undefined
  const src = rebuild(provider, url)
  return src !== undefined && isValidEmbedSrc(provider, src) ? src : undefined
}

function rebuild(provider: EmbedProvider, url: URL): string | undefined {
  const host = url.hostname.toLowerCase()
  switch (provider) {
    case 'youtube': {
      const id = /^\/embed\/([A-Za-z0-9_-]{11})$/.exec(url.pathname)?.[1]
      const known = ['www.youtube.com', 'youtube.com', 'www.youtube-nocookie.com'].includes(host)
      return known && id ? `https://www.youtube-nocookie.com/embed/${id}` : undefined // no cookies before play
    }
    case 'vimeo': {
      const id = /^\/video\/(\d+)$/.exec(url.pathname)?.[1]
      const h = url.searchParams.get('h')
      if (host !== 'player.vimeo.com' || !id) return undefined
      return `https://player.vimeo.com/video/${id}?${h && /^[0-9a-f]+$/.test(h) ? `h=${h}&` : ''}dnt=1`
    }
    case 'slideshare':
      return host === 'www.slideshare.net' ? `https://www.slideshare.net${url.pathname}` : undefined
    case 'stream': {
      const id = GUID.exec(url.searchParams.get('UniqueId') ?? url.searchParams.get('uniqueId') ?? '')?.[1]?.toLowerCase()
      return id ? `https://${host}${url.pathname}?UniqueId=${id}` : undefined
    }
  }
}
