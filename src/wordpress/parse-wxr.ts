// Streams a WordPress export (WXR 1.0–1.2) as events: the channel first, then authors, terms and
// items in file order. Memory stays at one chunk plus one <item>, so a file of hundreds of MB is fine.
// Any problem with the file throws WxrError, so iterating to the end (validateWxr) checks the whole
// file before anything is written.
import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import { createWxrCollector } from './wxr-collector.js'
import { WxrError, type WxrChannel, type WxrEvent } from './wxr-types.js'

/** A file path, or the bytes/text of an export. */
export type WxrSource = string | Readable | AsyncIterable<string | Uint8Array>

export interface ParseWxrOptions {
  /** Time zone of the blog, for dates WordPress only wrote as wall time (drafts). */
  timeZone?: string
}

// C0 controls other than tab/newline/CR are not XML, but WordPress lets them in (text pasted from
// Word) and its own importer tolerates them; dropping them keeps line numbers intact.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

async function* textChunks(source: WxrSource): AsyncGenerator<string> {
  const input = typeof source === 'string' ? createReadStream(source) : source
  const decoder = new TextDecoder('utf-8')
  try {
    for await (const chunk of input) {
      yield typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array, { stream: true })
    }
  } catch (err) {
    if (err instanceof WxrError) throw err
    throw new WxrError('io', `Cannot read the export: ${(err as Error).message}`)
  }
  yield decoder.decode()
}

/** saxes prefixes its messages with "line:column: ". */
function stripPosition(message: string): string {
  return message.replace(/^\d+:\d+:\s*/, '')
}

export async function* parseWxr(source: WxrSource, options: ParseWxrOptions = {}): AsyncGenerator<WxrEvent> {
  const events: WxrEvent[] = []
  const collector = createWxrCollector({ timeZone: options.timeZone ?? 'Europe/Oslo' }, events)
  const { parser } = collector
  let sawText = false
  let firstTextLine = 1 // for "not XML": saxes only complains where the stray text ends

  const run = (step: () => void, atEnd: boolean) => {
    try {
      step()
    } catch (err) {
      if (err instanceof WxrError) throw err
      const detail = stripPosition((err as Error).message)
      if (!collector.sawRoot) throw new WxrError('not-xml', `Not an XML file: ${detail}`, firstTextLine)
      if (atEnd && collector.depth > 0) {
        throw new WxrError('truncated', `The export ends inside <${collector.openElement}>: the file is probably cut short`, parser.line)
      }
      throw new WxrError('invalid-xml', `Invalid XML: ${detail}`, parser.line, parser.column)
    }
  }

  for await (const chunk of textChunks(source)) {
    if (chunk === '') continue
    if (!sawText) {
      const at = chunk.search(/\S/)
      firstTextLine += (at === -1 ? chunk : chunk.slice(0, at)).split('\n').length - 1
      sawText = at !== -1
    }
    run(() => parser.write(chunk.replace(XML_ILLEGAL, '')), false)
    yield* events
    events.length = 0
  }
  if (!sawText) throw new WxrError('not-xml', 'The export is empty')
  run(() => parser.close(), true)
  yield* events
  if (!collector.channelSent) throw new WxrError('not-wxr', 'Not a WordPress export: no <channel> element')
}

export interface WxrSummary {
  channel: WxrChannel
  authors: number
  terms: number
  /** Items per post type: { post: 120, page: 4, attachment: 300 }. */
  items: Record<string, number>
  comments: number
}

/** Reads the whole export once and counts what it holds; throws WxrError if it cannot be imported. */
export async function validateWxr(source: WxrSource, options: ParseWxrOptions = {}): Promise<WxrSummary> {
  let channel: WxrChannel | undefined
  const summary = { authors: 0, terms: 0, items: {} as Record<string, number>, comments: 0 }
  for await (const event of parseWxr(source, options)) {
    if (event.kind === 'channel') channel = event.channel
    else if (event.kind === 'author') summary.authors++
    else if (event.kind === 'term') summary.terms++
    else {
      summary.items[event.item.postType] = (summary.items[event.item.postType] ?? 0) + 1
      summary.comments += event.item.comments.length
    }
  }
  if (!channel) throw new WxrError('not-wxr', 'Not a WordPress export: no <channel> element')
  return { channel, ...summary }
}
