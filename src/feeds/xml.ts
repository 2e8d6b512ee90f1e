// A small XML writer for the feeds. Every string is written as text (escaped, never CDATA: a CDATA
// section cannot hold "]]>" and only hides the escaping problem), so no input can add markup to a feed.
// Characters XML 1.0 cannot hold, and the C1 controls it discourages, are dropped.

const NOT_XML = /[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu
const TEXT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }
const ATTR: Record<string, string> = { ...TEXT, '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' }

/** Removes what XML cannot carry. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '')
}

export function xmlText(text: string): string {
  // "\r" would be read back as "\n" (end-of-line handling); a character reference keeps it.
  return xmlSafe(text).replace(/[&<>\r]/g, (c) => TEXT[c] ?? '&#13;')
}

export function xmlAttr(value: string): string {
  return xmlSafe(value).replace(/[&<>"\t\n\r]/g, (c) => ATTR[c]!)
}

export type Attrs = Record<string, string | undefined>

/** `<name a="…">text</name>`; undefined attributes are left out. */
export function el(name: string, attrs: Attrs, text?: string): string {
  const a = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(v!)}"`).join('')
  return text === undefined ? `<${name}${a}/>` : `<${name}${a}>${xmlText(text)}</${name}>`
}

/** An element holding other elements (already written). */
export function parent(name: string, attrs: Attrs, children: string[]): string {
  const a = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(v!)}"`).join('')
  // No indentation: it would change the text of the elements inside.
  return `<${name}${a}>\n${children.filter(Boolean).join('\n')}\n</${name}>`
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
