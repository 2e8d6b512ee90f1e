// Small string helpers for the regex-level HTML work the converter does. Output is never trusted:
// the importer runs everything through src/markdown's sanitizer afterwards.

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0',
  aelig: 'æ', oslash: 'ø', aring: 'å', AElig: 'Æ', Oslash: 'Ø', Aring: 'Å',
}

/** Decodes the entities that turn up in URLs and alt texts; unknown named entities stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref] ?? whole
  })
}

/** Matches start tags of one element; quoted attribute values may contain '>'. */
export function startTags(name: string): RegExp {
  return new RegExp(`<${name}\\b(?:[^>"']|"[^"]*"|'[^']*')*>`, 'gi')
}

/** Attributes of a start tag as written (`<img src="a" alt='b' hidden>`), values entity-decoded. */
export function parseAttributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>()
  const body = tag.replace(/^<[^\s>/]+/, '').replace(/\/?>$/, '')
  const re = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g
  for (const m of body.matchAll(re)) {
    const name = m[1]!.toLowerCase()
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''))
  }
  return attrs
}

/** A start tag from parsed attributes (values re-escaped); `<img>` rather than `<img />`, as in HTML5. */
export function buildStartTag(name: string, attrs: Map<string, string>): string {
  const parts = [...attrs].map(([key, value]) => (value === '' ? ` ${key}` : ` ${key}="${escapeHtml(value)}"`))
  return `<${name}${parts.join('')}>`
}

/** An http(s) URL for use in an href, or undefined for anything else (javascript:, data:, junk). */
export function safeHttpUrl(raw: string): string | undefined {
  const text = decodeEntities(raw.trim())
  const absolute = text.startsWith('//') ? `https:${text}` : text
  if (!/^https?:\/\//i.test(absolute)) return undefined
  try {
    return new URL(absolute).href
  } catch {
    return undefined
  }
}
