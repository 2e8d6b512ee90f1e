// A microblog update is plain text. This module turns it into the stored body_html: the text is
// escaped first, then URLs (http/https only), #tags and @mentions of existing users become links.
// Pure functions, no database: the caller looks up which mentioned usernames exist.
import { escapeHtml } from '../markdown/escape.js'
import { checkHref } from '../markdown/urls.js'
import { MAX_TAGS, normaliseTag } from '../posts/slug.js'

export const MICRO_MAX_CHARS = 500

const segmenter = new Intl.Segmenter('nb', { granularity: 'grapheme' })

/** Characters as a person counts them: grapheme clusters (an emoji with skin tone or a flag is one). */
export function graphemeLength(text: string): number {
  if (!text) return 0 // the empty form on every timeline: no segmenter needed
  let n = 0
  for (const _ of segmenter.segment(text)) n++
  return n
}

/** The first `max` characters (graphemes), with an ellipsis when cut. For notification snippets. */
export function snippet(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const parts: string[] = []
  for (const s of segmenter.segment(flat)) {
    if (parts.length === max) return parts.join('').trimEnd() + '…'
    parts.push(s.segment)
  }
  return flat
}

// C0 and C1 controls except tab and line feed (carriage returns are normalised away first), and the
// bidirectional embeddings, overrides and isolates that make text display in another order than it
// reads (names and links that look like others).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

// Characters that take no space: a text of nothing else is empty.
const INVISIBLE = /[\s\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/gu

/** True when the text shows nothing at all (only spaces and zero-width characters). */
export function isBlank(text: string): boolean {
  return text.replace(INVISIBLE, '') === ''
}

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text)
}

/** Line endings to \n, Unicode NFC, outer whitespace trimmed. */
export function normaliseText(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').normalize('NFC').trim()
}

export type Token =
  | { type: 'text'; text: string }
  | { type: 'url'; text: string; href: string }
  | { type: 'tag'; text: string; tag: string }
  | { type: 'mention'; text: string; username: string }

// URLs first (a # or @ inside a URL belongs to the URL); a #tag or @mention must not follow a letter
// or digit, so e-mail addresses and "C#" stay text.
const PATTERN =
  /(?<url>\bhttps?:\/\/[^\s<>"'`]+)|(?<![\p{L}\p{N}_&#/])#(?<tag>[\p{L}\p{M}\p{Nd}-]+)|(?<![\p{L}\p{N}_.@/-])@(?<user>[a-z0-9][a-z0-9._-]{1,31})(?![a-z0-9._-])/giu

const TRAILING_PUNCTUATION = /[.,;:!?'"\]}>]+$/

// "(see https://x.no/a)" – the closing parenthesis belongs to the sentence unless the URL opened one.
function trimUrl(url: string): string {
  let out = url.replace(TRAILING_PUNCTUATION, '')
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) {
    out = out.slice(0, -1).replace(TRAILING_PUNCTUATION, '')
  }
  return out
}

/** Splits one line of text into plain text, URLs, tags and mentions. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let last = 0
  const pushText = (s: string) => {
    if (!s) return
    const prev = tokens[tokens.length - 1]
    if (prev?.type === 'text') prev.text += s
    else tokens.push({ type: 'text', text: s })
  }
  for (const m of text.matchAll(PATTERN)) {
    const start = m.index
    const g = m.groups ?? {}
    let token: Token | undefined
    let raw = m[0]
    if (g.url) {
      raw = trimUrl(g.url)
      const safe = checkHref(raw)
      if (safe?.external) token = { type: 'url', text: raw, href: safe.href }
    } else if (g.tag) {
      raw = '#' + g.tag.replace(/-+$/, '')
      const tag = normaliseTag(raw)
      if (tag) token = { type: 'tag', text: raw, tag }
    } else if (g.user) {
      token = { type: 'mention', text: raw, username: g.user.toLowerCase() }
    }
    if (!token) continue
    pushText(text.slice(last, start))
    tokens.push(token)
    last = start + raw.length
  }
  pushText(text.slice(last))
  return tokens
}

/** Paragraphs (split at blank lines) of lines of tokens. */
export function parseBody(body: string): Token[][][] {
  return body.split(/\n{2,}/).map((para) => para.split('\n').map(tokenize))
}

/** The distinct tags of an update, normalised, at most MAX_TAGS. */
export function tagsOf(body: string): string[] {
  const tags: string[] = []
  for (const para of parseBody(body)) for (const line of para) for (const t of line) {
    if (t.type === 'tag' && !tags.includes(t.tag) && tags.length < MAX_TAGS) tags.push(t.tag)
  }
  return tags
}

/** Usernames written as @mentions (lower case, distinct). A trailing ".", "-" or "_" may be punctuation. */
export function mentionCandidates(body: string): string[] {
  const names = new Set<string>()
  for (const para of parseBody(body)) for (const line of para) for (const t of line) {
    if (t.type !== 'mention') continue
    names.add(t.username)
    const trimmed = t.username.replace(/[._-]+$/, '')
    if (trimmed.length >= 2) names.add(trimmed)
  }
  return [...names]
}

/** The username a mention refers to, given the usernames that exist; undefined: plain text. */
export function resolveMention(username: string, existing: ReadonlySet<string>): { username: string; rest: string } | undefined {
  if (existing.has(username)) return { username, rest: '' }
  const trimmed = username.replace(/[._-]+$/, '')
  if (trimmed !== username && existing.has(trimmed)) return { username: trimmed, rest: username.slice(trimmed.length) }
  return undefined
}

/** Safe HTML for an update: escaped text with links. `existing`: the mentioned usernames that exist. */
export function renderMicroHtml(body: string, existing: ReadonlySet<string>): string {
  return parseBody(body)
    .map((para) => `<p>${para.map((line) => line.map((t) => tokenHtml(t, existing)).join('')).join('<br>\n')}</p>`)
    .join('\n')
}

function tokenHtml(t: Token, existing: ReadonlySet<string>): string {
  switch (t.type) {
    case 'text':
      return escapeHtml(t.text)
    case 'url':
      return `<a href="${escapeHtml(t.href)}" rel="noopener noreferrer ugc">${escapeHtml(t.text)}</a>`
    case 'tag':
      return `<a href="/tags/${encodeURIComponent(t.tag)}" class="hashtag">${escapeHtml(t.text)}</a>`
    case 'mention': {
      const found = resolveMention(t.username, existing)
      if (!found) return escapeHtml(t.text)
      const shown = t.text.slice(0, 1 + found.username.length)
      return `<a href="/users/${encodeURIComponent(found.username)}" class="mention">${escapeHtml(shown)}</a>${escapeHtml(found.rest)}`
    }
  }
}

/** The mentioned usernames that exist, as resolved in the text (for notifications). */
export function resolvedMentions(body: string, existing: ReadonlySet<string>): string[] {
  const out = new Set<string>()
  for (const para of parseBody(body)) for (const line of para) for (const t of line) {
    if (t.type !== 'mention') continue
    const found = resolveMention(t.username, existing)
    if (found) out.add(found.username)
  }
  return [...out]
}
