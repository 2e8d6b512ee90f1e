// WordPress shortcodes: [caption] becomes <figure>, [gallery] a list of figures (gallery.ts), [embed]
// and Jetpack's [youtube]/[vimeo]/[slideshare] become embed blocks; anything else stays as text and
// is reported, so an editor can fix it by hand.
import { decodeEntities, safeHttpUrl } from './html-utils.js'
import { embedBlock } from './embeds.js'
import type { Problem } from './problems.js'

// Port of get_shortcode_regex() for any name: 1 escape [, 2 name, 3 attributes, 4 self-closing /,
// 5 enclosed content, 6 escape ].
const SHORTCODE = /\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]/]*(?:\/(?!\])[^\]/]*)*?)(?:(\/)\]|\](?:([^[]*(?:\[(?!\/\2\])[^[]*)*)\[\/\2\])?)(\]?)/g

// Names that are shortcodes even written bare ("[gallery]"); bare unknown words like "[sic]" are text.
const KNOWN = new Set(['gallery', 'audio', 'video', 'playlist', 'caption', 'wp_caption', 'embed', 'youtube', 'vimeo',
  'slideshare', 'googlemaps', 'googleapps', 'soundcloud', 'twitter', 'tweet', 'instagram', 'gist', 'code',
  'sourcecode', 'latex', 'polldaddy', 'crowdsignal', 'scribd', 'dailymotion', 'ted', 'issuu', 'archives',
  'sitemap', 'contact-form', 'contact-form-7', 'contact-field', 'column', 'table', 'flickr', 'slideshow',
  'wpvideo', 'recipe', 'pdf-embedder', 'googledocs', 'iframe', 'spotify', 'prezi'])

// stripBlockMarks() clears these control characters from the input first, so they are free to mark blocks.
const BLOCK_START = '\u0001'
const BLOCK_END = '\u0002'
const asBlock = (html: string) => `${BLOCK_START}${html}${BLOCK_END}`
export const stripBlockMarks = (html: string) => html.replace(/[\u0001\u0002]/g, '')

/** shortcode_parse_atts(), simplified: name="v", name='v', name=v and positional values. */
export function parseShortcodeAttributes(text: string): { named: Map<string, string>; positional: string[] } {
  const named = new Map<string, string>()
  const positional: string[] = []
  const re = /([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)/g
  for (const m of decodeEntities(text.replace(/[\u00a0\u200b]/g, ' ')).matchAll(re)) {
    const name = m[1] ?? m[3] ?? m[5]
    if (name !== undefined) named.set(name.toLowerCase(), m[2] ?? m[4] ?? m[6] ?? '')
    else positional.push(m[7] ?? m[8] ?? m[9] ?? '')
  }
  return { named, positional }
}

/** img_caption_shortcode(): the caption is the caption="" attribute or the text after the image. */
function caption(attrs: string, content: string): string {
  const { named } = parseShortcodeAttributes(attrs)
  let body = content.trim()
  let text = named.get('caption')
  if (text === undefined) {
    const m = /^((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(body)
    if (m) [body, text] = [m[1]!, m[2]!.replace(/^(?:\s|<br\s*\/?>)+/, '').trim()]
  }
  if (!text) return body
  return asBlock(`<figure>${body}<figcaption>${text}</figcaption></figure>`)
}

/** The URL in [embed]URL[/embed], [youtube URL], [youtube=URL], [vimeo 123] or [slideshare id=123…]. */
function embedUrl(name: string, attrs: string, content: string | undefined): string | undefined {
  if (name === 'embed') return content === undefined ? undefined : safeHttpUrl(content)
  const { named, positional } = parseShortcodeAttributes(attrs.replace(/^\s*=/, ' '))
  if (name === 'slideshare') {
    const id = named.get('id')?.split('&')[0]
    return id && /^\d+$/.test(id) ? `https://www.slideshare.net/slideshow/embed_code/${id}` : undefined
  }
  const first = named.get('url') ?? named.get('id') ?? positional[0] ?? content ?? ''
  if (name === 'vimeo' && /^\d+$/.test(first)) return `https://vimeo.com/${first}`
  if (name === 'youtube' && /^[\w-]{11}$/.test(first)) return `https://www.youtube.com/watch?v=${first}`
  return safeHttpUrl(first)
}

const EMBEDS = new Set(['embed', 'youtube', 'vimeo', 'slideshare'])

/**
 * WordPress expands [embed] before auto-paragraphs (priority 8) and other shortcodes after them.
 * This is the early half: valid [embed]s only; anything else waits for replaceShortcodes.
 */
export function replaceEmbedShortcodes(html: string): string {
  return html.replace(SHORTCODE, (whole, open: string, name: string, attrs: string, _self, content: string | undefined, close: string) => {
    if (name !== 'embed' || (open === '[' && close === ']')) return whole
    const url = embedUrl(name, attrs, content)
    return url ? `${open}${embedBlock(url)}${close}` : whole
  })
}

/** Renders a [gallery] from its attributes: HTML, or '' for a gallery with nothing to show. */
export type GalleryRenderer = (attrs: Map<string, string>) => string

/** The late half, after auto-paragraphs. Figures, galleries and embeds come out marked with asBlock(). */
export function replaceShortcodes(html: string, problems: Problem[], gallery?: GalleryRenderer): string {
  return html.replace(SHORTCODE, (whole, open: string, name: string, attrs: string, selfClose: string | undefined,
    content: string | undefined, close: string) => {
    if (open === '[' && close === ']') return whole.slice(1, -1) // [[gallery]] is how WordPress writes a literal [gallery]
    const rest = (s: string) => `${open}${s}${close}`
    if (name === 'caption' || name === 'wp_caption') return rest(caption(attrs, content ?? ''))
    if (name === 'gallery' && gallery) {
      const out = gallery(parseShortcodeAttributes(attrs).named)
      return rest(asBlock(out)) // even when empty: the paragraph it stood in goes too
    }
    if (EMBEDS.has(name)) {
      const url = embedUrl(name, attrs, content)
      if (url) return rest(asBlock(embedBlock(url)))
      problems.push({ code: 'bad-embed', detail: whole.slice(0, 300) })
      return whole
    }
    const looksLikeShortcode = KNOWN.has(name) || attrs.includes('=') || content !== undefined
    if (!looksLikeShortcode) return whole
    const tag = `[${name}${attrs}${selfClose ?? ''}]`
    problems.push({ code: 'unknown-shortcode', detail: tag })
    // Enclosing shortcodes may wrap ones we do understand ([column][caption]…[/caption][/column]).
    return content === undefined ? whole : rest(`${tag}${replaceShortcodes(content, problems, gallery)}[/${name}]`)
  })
}

/**
 * A figure or embed made after auto-paragraphs may sit inside a <p> (WordPress leaves it there;
 * browsers then split the paragraph). Close the paragraph around it instead.
 */
export function placeBlocks(html: string): string {
  if (!html.includes(BLOCK_START)) return html
  // split() with a capture group alternates: text, block, text, block, …, text.
  const parts = html.split(/\u0001([^\u0002]*)\u0002/)
  let open = false
  let out = ''
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      for (const m of part.matchAll(/<(\/?)p[\s>]/gi)) open = m[1] === ''
      out += part
    } else {
      out += open ? `</p>\n${part}\n<p>` : part
    }
  })
  return out.replace(/<p>\s*(?:<br \/>\s*)*<\/p>\n?/g, '').replace(/<p>\s*<br \/>\s*/g, '<p>')
}
