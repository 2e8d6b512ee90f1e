// A tiny XML writer for the extract's files: elements are written in the order the schemas demand,
// text is escaped here and nowhere else.
import { createHash } from 'node:crypto'

export type XmlNode = string | false | null | undefined | XmlNode[]

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }

/** Escapes text for XML and drops the control characters XML 1.0 does not allow. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"]/g, (c) => ESCAPES[c]!)
}

/** `<name attrs>children</name>`; a string child is text (escaped), an array child is nested nodes. */
export function el(name: string, children: XmlNode, attrs: Record<string, string> = {}): string {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')
  return `<${name}${a}>${render(children)}</${name}>`
}

/** Nested element nodes, already XML (not escaped again). */
export function nodes(...children: XmlNode[]): XmlNode[] {
  return children
}

function render(n: XmlNode): string {
  if (n === false || n === null || n === undefined) return ''
  if (Array.isArray(n)) return n.map((c) => (typeof c === 'string' ? c : render(c))).join('\n')
  return escapeXml(n)
}

/** A text element; omitted (for minOccurs="0") when the value is empty. */
export function text(name: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  return el(name, String(value))
}

export function xmlDocument(root: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`, 'utf8')
}

/**
 * A UUID derived from a stable name (the UUID v5 layout over SHA-256): the same post gives the same
 * systemID in every extract, so two extracts of overlapping periods can be matched.
 */
export function stableUuid(name: string): string {
  const h = createHash('sha256').update(`betablogg:${name}`).digest()
  h[6] = (h[6]! & 0x0f) | 0x50
  h[8] = (h[8]! & 0x3f) | 0x80
  const x = h.subarray(0, 16).toString('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex')
}
