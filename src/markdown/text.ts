import { walkHtml } from './walk.js'

// Elements that separate words when rendered; their boundaries become spaces in plain text.
const BLOCKS = new Set([
  'p', 'br', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'hr',
  'figure', 'figcaption', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'section', 'article',
])

/** The text content of HTML (no alt texts), whitespace collapsed. For feeds, search and leads. */
export function plainText(html: string): string {
  let out = ''
  const gap = (name: string): void => {
    if (BLOCKS.has(name)) out += ' '
  }
  walkHtml(html, { open: gap, close: gap, text: (t) => { out += t } })
  return collapse(out)
}

// A start or end tag of stored (sanitized) HTML, its name captured; a no-break space as an entity.
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g
const NBSP = /&(?:nbsp|#160|#x0*a0);/gi

/**
 * The number of words plainText() would give, without parsing: block elements separate words, inline
 * ones do not. For estimates made on every page view (reading time); stored HTML is sanitized, so
 * its tags are well-formed and it holds no script, style or comments.
 */
export function countWords(html: string): number {
  const text = html.replace(TAG, (_tag, name: string) => (BLOCKS.has(name.toLowerCase()) ? ' ' : '')).replace(NBSP, ' ')
  return text.match(/\S+/g)?.length ?? 0
}

/** The first paragraph with text (else all the text), cut at a word boundary with "…". */
export function deriveLead(html: string, maxChars = 280): string {
  let depth = 0
  let current = ''
  let lead: string | undefined
  walkHtml(html, {
    open: (name) => {
      if (lead !== undefined) return
      if (name === 'p') depth++
      else if (depth > 0 && name === 'br') current += ' '
    },
    close: (name) => {
      if (lead !== undefined || name !== 'p' || depth === 0) return
      depth--
      if (depth === 0 && collapse(current)) lead = collapse(current)
      if (depth === 0) current = ''
    },
    text: (t) => {
      if (lead === undefined && depth > 0) current += t
    },
  })
  return truncate(lead ?? plainText(html), maxChars)
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const room = text.slice(0, Math.max(0, max - 1)) // one character is left for the ellipsis
  const wordEnds = /\s/.test(text.charAt(max - 1))
  const lastSpace = room.search(/\s\S*$/)
  // One very long word (a URL): cut inside it rather than returning almost nothing.
  let head = wordEnds ? room : lastSpace > max / 2 ? room.slice(0, lastSpace) : room
  head = head.replace(/[\ud800-\udbff]$/, '').replace(/[\s,;:.!?\-–—]+$/u, '')
  return `${head}…`
}
