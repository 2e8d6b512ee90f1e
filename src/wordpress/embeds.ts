// Embedded media (YouTube, Vimeo, SlideShare…) in whatever form WordPress stored them: [embed]URL,
// a provider URL alone on a line (WordPress's auto-embed), an <iframe>, an old Flash <object>.
// All become one shape the importer can map to the app's embed: a paragraph holding only the link.
import type { Problem } from './problems.js'
import { decodeEntities, escapeHtml, parseAttributes, safeHttpUrl } from './html-utils.js'

/** Marks a paragraph made from an embed: `<p data-embed="youtube"><a href="URL">URL</a></p>`. */
export const EMBED_ATTRIBUTE = 'data-embed'

const PROVIDERS: [name: string, host: RegExp][] = [
  ['youtube', /(^|\.)(youtube\.com|youtu\.be|youtube-nocookie\.com)$/],
  ['vimeo', /(^|\.)vimeo\.com$/],
  ['slideshare', /(^|\.)slideshare\.net$/],
  ['twitter', /(^|\.)(twitter\.com|x\.com)$/],
  ['soundcloud', /(^|\.)soundcloud\.com$/],
  ['spotify', /(^|\.)spotify\.com$/],
  ['flickr', /(^|\.)(flickr\.com|flic\.kr)$/],
  ['instagram', /(^|\.)instagram\.com$/],
  ['ted', /(^|\.)ted\.com$/],
  ['issuu', /(^|\.)issuu\.com$/],
  ['scribd', /(^|\.)scribd\.com$/],
  ['dailymotion', /(^|\.)dailymotion\.com$/],
  ['prezi', /(^|\.)prezi\.com$/],
  // Also embedded by WordPress (its oEmbed list); we do not embed them, so the importer keeps a link and reports it.
  ['wordpress-tv', /(^|\.)wordpress\.tv$/],
  ['videopress', /(^|\.)videopress\.com$/],
  ['mixcloud', /(^|\.)mixcloud\.com$/],
  ['speakerdeck', /(^|\.)speakerdeck\.com$/],
  ['imgur', /(^|\.)imgur\.com$/],
  ['tumblr', /(^|\.)tumblr\.com$/],
  ['kickstarter', /(^|\.)kickstarter\.com$/],
  ['crowdsignal', /(^|\.)(crowdsignal\.com|polldaddy\.com)$/],
]

/** The oEmbed-style provider of a URL, or undefined when WordPress would not have embedded it. */
export function embedProvider(url: string): string | undefined {
  let host: string
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {
    return undefined
  }
  return PROVIDERS.find(([, re]) => re.test(host))?.[0]
}

/** The public page URL behind a player URL (iframe/object src), when we know how to find it. */
export function canonicalEmbedUrl(src: string): string | undefined {
  const url = safeHttpUrl(src)
  if (!url) return undefined
  const u = new URL(url)
  const host = u.hostname.replace(/^www\./, '')
  const youtube = /^\/(?:embed|v)\/([\w-]{6,})/.exec(u.pathname)
  if (/^(youtube\.com|youtube-nocookie\.com)$/.test(host) && youtube) {
    const start = u.searchParams.get('start') ?? u.searchParams.get('t')
    return `https://www.youtube.com/watch?v=${youtube[1]}${start && /^\d+$/.test(start) ? `&t=${start}` : ''}`
  }
  const vimeo = /^\/video\/(\d+)/.exec(u.pathname)
  if (host === 'player.vimeo.com' && vimeo) return `https://vimeo.com/${vimeo[1]}`
  // A SlideShare embed holds only a numeric id; its page URL (/user/title) cannot be derived.
  const slideshare = /^\/slideshow\/embed_code\/(?:key\/)?([\w-]+)/.exec(u.pathname)
  if (host === 'slideshare.net' && slideshare) return `https://www.slideshare.net/slideshow/embed_code/${slideshare[1]}`
  if (embedProvider(url)) return url
  return undefined
}

/** The block standing for one embed; url must already be a safe http(s) URL. */
export function embedBlock(url: string): string {
  const href = escapeHtml(url)
  return `<p ${EMBED_ATTRIBUTE}="${embedProvider(url) ?? 'link'}"><a href="${href}">${href}</a></p>`
}

/** A fallback for players we cannot map: a plain link to the player, so nothing silently vanishes. */
function linkBlock(url: string): string {
  const href = escapeHtml(url)
  return `<p><a href="${href}">${href}</a></p>`
}

/** Replaces <iframe>, <object> and <embed> players with embed blocks (or plain links, reported). */
export function replacePlayers(html: string, problems: Problem[]): string {
  const iframe = /<iframe\b[^>]*>(?:(?:(?!<iframe\b)[\s\S])*?<\/iframe\s*>)?/gi
  const object = /<object\b[^>]*>[\s\S]*?<\/object\s*>/gi
  const embed = /<embed\b[^>]*>(?:\s*<\/embed\s*>)?/gi
  return html
    .replace(iframe, (tag) => player(tag, parseAttributes(tag).get('src') ?? '', 'unknown-iframe', problems))
    .replace(object, (tag) => player(tag, playerUrlInObject(tag), 'unknown-object', problems))
    .replace(embed, (tag) => player(tag, parseAttributes(tag).get('src') ?? '', 'unknown-object', problems))
}

function player(tag: string, src: string, code: 'unknown-iframe' | 'unknown-object', problems: Problem[]): string {
  const canonical = canonicalEmbedUrl(src)
  if (canonical) return embedBlock(canonical)
  problems.push({ code, detail: tag.slice(0, 300) })
  const url = safeHttpUrl(src)
  return url ? linkBlock(url) : ''
}

/** Flash-era YouTube code put the player URL in <param name="movie" value> and <embed src>. */
function playerUrlInObject(tag: string): string {
  const candidates = [...tag.matchAll(/<(?:param|embed|object)\b[^>]*>/gi)].map((m) => {
    const attrs = parseAttributes(m[0])
    return attrs.get('src') ?? attrs.get('data') ?? (attrs.get('name') === 'movie' ? attrs.get('value') : undefined) ?? ''
  })
  return candidates.find((c) => canonicalEmbedUrl(c)) ?? candidates.find((c) => c !== '') ?? ''
}

/**
 * WordPress's auto-embed: a provider URL alone on its line or alone in a paragraph. Other bare URLs
 * stay text, as they did on the old site.
 */
export function replaceOwnLineUrls(html: string): string {
  const own = (whole: string, raw: string) => {
    const url = safeHttpUrl(raw)
    return url && embedProvider(url) ? embedBlock(url) : whole
  }
  return html
    .replace(/<p(?: [^>]*)?>\s*(https?:\/\/[^\s<>"]+)\s*<\/p>/gi, (whole, raw: string) => own(whole, raw))
    .replace(/^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gim, (whole, raw: string) => own(whole, raw))
}

/** Block-editor embeds: <figure class="wp-block-embed…"><div class="wp-block-embed__wrapper">URL</div></figure>. */
export function replaceBlockEmbeds(html: string): string {
  const re = /<figure\b[^>]*class="[^"]*wp-block-embed[^"]*"[^>]*>\s*<div\b[^>]*wp-block-embed__wrapper[^>]*>\s*([^<\s]+)\s*<\/div>\s*(?:<figcaption\b[^>]*>([\s\S]*?)<\/figcaption>\s*)?<\/figure>/gi
  return html.replace(re, (whole, raw: string, caption: string | undefined) => {
    const url = safeHttpUrl(raw)
    if (!url) return whole
    return embedBlock(url) + (caption?.trim() ? `\n<p>${caption.trim()}</p>` : '')
  })
}

/** An embed block that replaced the only thing in a paragraph must not end up inside that paragraph. */
export function unwrapEmbedBlocks(html: string): string {
  const re = new RegExp(`<p(?:\\s[^>]*)?>\\s*(<p ${EMBED_ATTRIBUTE}="[^"]*"><a [^>]*>[^<]*</a></p>)\\s*</p>`, 'gi')
  return html.replace(re, '$1')
}

/** The URLs of the embed blocks in html, in document order. */
export function listEmbeds(html: string): string[] {
  const re = new RegExp(`<p ${EMBED_ATTRIBUTE}="[^"]*"><a href="([^"]*)">`, 'g')
  return [...html.matchAll(re)].map((m) => decodeEntities(m[1]!))
}
