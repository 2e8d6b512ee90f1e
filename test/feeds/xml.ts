// A tiny DOM over saxes (a conforming, namespace-aware XML parser) for checking feeds the way a feed
// reader sees them: a document that is not well-formed XML throws.
import { SaxesParser } from 'saxes'

export interface XmlElement {
  /** Qualified name as written (`content:encoded`). */
  name: string
  local: string
  uri: string
  attrs: Record<string, string>
  children: XmlElement[]
  /** The element's own text and CDATA, decoded. */
  text: string
  child(name: string): XmlElement | undefined
  all(name: string): XmlElement[]
}

function element(name: string, local: string, uri: string, attrs: Record<string, string>): XmlElement {
  const el: XmlElement = {
    name, local, uri, attrs, children: [], text: '',
    child: (n) => el.children.find((c) => c.name === n),
    all: (n) => el.children.filter((c) => c.name === n),
  }
  return el
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {}
    for (const a of Object.values(tag.attributes)) attrs[a.name] = a.value
    const el = element(tag.name, tag.local, tag.uri, attrs)
    stack[stack.length - 1]?.children.push(el)
    root ??= el
    stack.push(el)
  })
  parser.on('closetag', () => void stack.pop())
  const addText = (t: string) => {
    const top = stack[stack.length - 1]
    if (top) top.text += t
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('error', (err) => {
    throw err
  })
  parser.write(xml).close()
  if (!root) throw new Error('empty document')
  return root
}
