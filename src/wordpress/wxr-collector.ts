// The WXR state machine over saxes events. It keeps only the element being read (one <item> with its
// comments at most) and pushes finished records to `out`. Elements are matched by namespace URI,
// never by prefix: exports from plugins and old WordPress versions bind other prefixes.
import { SaxesParser, type SaxesTagNS } from 'saxes'
import { KNOWN_WXR_VERSIONS, WxrError, type WxrComment, type WxrEvent, type WxrItemTerm, type WxrMeta } from './wxr-types.js'
import { addItemTerm, toAuthor, toChannel, toComment, toItem, toMeta, toTerm, type Fields } from './wxr-records.js'

type Kind = 'channel' | 'author' | 'term' | 'item' | 'postmeta' | 'comment' | 'commentmeta'

interface Container {
  kind: Kind
  element: string
  fields: Fields
  terms: WxrItemTerm[]
  meta: WxrMeta[]
  comments: WxrComment[]
}

interface Frame {
  key: string
  container?: Container
  /** Text chunks, only for direct children of a container (the fields we read). */
  text?: string[]
  attrs?: Record<string, string>
}

const WP_NS = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/$/
const EXCERPT_NS = /^https?:\/\/wordpress\.org\/export\/\d+\.\d+\/excerpt\/$/

/** A short, prefix-independent name: 'wp:post_id', 'content:encoded', 'title'. */
function keyOf(uri: string, local: string): string {
  if (uri === '') return local
  if (WP_NS.test(uri)) return `wp:${local}`
  if (EXCERPT_NS.test(uri)) return `excerpt:${local}`
  if (uri === 'http://purl.org/rss/1.0/modules/content/') return `content:${local}`
  if (uri === 'http://purl.org/dc/elements/1.1/') return `dc:${local}`
  return `other:${local}`
}

const CHILD_CONTAINERS: Partial<Record<Kind | 'root', Record<string, Kind>>> = {
  root: { channel: 'channel' },
  channel: { 'wp:author': 'author', 'wp:category': 'term', 'wp:tag': 'term', 'wp:term': 'term', item: 'item' },
  item: { 'wp:postmeta': 'postmeta', 'wp:comment': 'comment' },
  comment: { 'wp:commentmeta': 'commentmeta' },
}

export interface CollectorOptions {
  timeZone: string
}

export function createWxrCollector(options: CollectorOptions, out: WxrEvent[]) {
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: Frame[] = []
  let channelSent = false
  let sawRoot = false

  const fail = (code: 'not-wxr' | 'unsupported-version', message: string): never => {
    throw new WxrError(code, message, parser.line)
  }
  const nearestContainer = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.container) return stack[i]!.container
    return undefined
  }

  function sendChannel(channel: Container) {
    if (channelSent) return
    const version = channel.fields['wp:wxr_version']?.trim()
    if (version === undefined) fail('not-wxr', 'Not a WordPress export: the channel has no wp:wxr_version')
    channelSent = true
    out.push({ kind: 'channel', channel: toChannel(channel.fields) })
  }

  function open(tag: SaxesTagNS) {
    const key = keyOf(tag.uri, tag.local)
    const parent = stack[stack.length - 1]
    if (!parent) {
      sawRoot = true
      if (key !== 'rss') fail('not-wxr', `Not a WordPress export: the root element is <${tag.name}>, not <rss>`)
    }
    // The root <rss> is no container; its <channel> child is.
    const parentKind = stack.length === 1 ? 'root' : parent?.container?.kind
    const kind = parentKind === undefined ? undefined : CHILD_CONTAINERS[parentKind]?.[key]
    const frame: Frame = { key }
    if (kind) {
      if (kind !== 'channel' && parent?.container?.kind === 'channel') sendChannel(parent.container)
      frame.container = { kind, element: tag.local, fields: {}, terms: [], meta: [], comments: [] }
    } else if (parent?.container) {
      frame.text = []
      if (key === 'category') frame.attrs = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value]))
    }
    stack.push(frame)
  }

  function close() {
    const frame = stack.pop()
    if (!frame) return
    const parent = nearestContainer()
    if (frame.container) return finishContainer(frame.container, parent)
    if (!frame.text || !parent || stack[stack.length - 1]?.container !== parent) return
    const text = frame.text.join('')
    if (frame.key === 'category' && parent.kind === 'item') {
      if (frame.attrs?.domain) addItemTerm(parent.terms, frame.attrs.domain, frame.attrs.nicename, text.trim())
      return
    }
    parent.fields[frame.key] = text
    if (frame.key === 'wp:wxr_version' && parent.kind === 'channel') checkVersion(text.trim())
  }

  function checkVersion(version: string) {
    if (!(KNOWN_WXR_VERSIONS as readonly string[]).includes(version)) {
      fail('unsupported-version', `Unsupported WXR version "${version}" (known: ${KNOWN_WXR_VERSIONS.join(', ')})`)
    }
  }

  function finishContainer(c: Container, parent: Container | undefined) {
    const { timeZone } = options
    switch (c.kind) {
      case 'channel': return sendChannel(c)
      case 'author': return void out.push({ kind: 'author', author: toAuthor(c.fields) })
      case 'term': return void out.push({ kind: 'term', term: toTerm(c.element, c.fields) })
      case 'item': return void out.push({ kind: 'item', item: toItem(c, timeZone) })
      case 'postmeta': case 'commentmeta': return void parent?.meta.push(toMeta(c.fields))
      case 'comment': return void parent?.comments.push(toComment(c.fields, c.meta, timeZone))
    }
  }

  const addText = (text: string) => { stack[stack.length - 1]?.text?.push(text) }
  parser.on('opentag', open)
  parser.on('closetag', close)
  parser.on('text', addText)
  parser.on('cdata', addText)

  return {
    parser,
    /** True once the root element has been opened: errors before that mean "not XML at all". */
    get sawRoot() { return sawRoot },
    /** Open elements; non-zero at the end of input means the file was cut short. */
    get depth() { return stack.length },
    get openElement() { return stack[stack.length - 1]?.key ?? '' },
    get channelSent() { return channelSent },
  }
}
