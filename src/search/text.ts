// Search text rules, as plain functions: what goes into the index, how a person's query becomes an
// FTS5 MATCH expression, and how a highlighted snippet becomes safe HTML.
//
// Norwegian letters: FTS5's unicode61 tokenizer (remove_diacritics 2) folds é → e and ü → u, which
// readers expect, but it would also fold å into a ("åpen" would find "apen"). æ and ø it keeps. So the
// index and the queries write å as "a" + RING (a private-use character, a token character for FTS5
// that no folding touches): "Åpen" → "A\uE000pen" is still matched case-insensitively, never as "apen".
import { escapeHtml } from '../markdown/escape.js'

const RING = '\uE000'
/** Snippet markers: control characters never present in indexed text (toIndexText removes them). */
export const MARK_OPEN = '\u0002'
export const MARK_CLOSE = '\u0003'

export const MAX_QUERY_LENGTH = 200
const MAX_TERMS = 10
/** Shorter words are matched exactly: a one-letter prefix would expand to half the vocabulary. */
const MIN_PREFIX_LENGTH = 2

// Control characters (but tab and newline) and private-use characters are removed from indexed text.
const UNWANTED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ue000-\uf8ff]/g

/** Plain text as stored in the index: NFC, no control characters, å protected from folding. */
export function toIndexText(text: string): string {
  return text.normalize('NFC').replace(UNWANTED, '').replace(/å/g, `a${RING}`).replace(/Å/g, `A${RING}`)
}

/** The reverse of toIndexText, for text read back from the index (snippets). */
export function fromIndexText(text: string): string {
  return text.replace(/([aA])\uE000/g, (_m, a: string) => (a === 'a' ? 'å' : 'Å'))
}

/** A snippet or highlight from the index → HTML: everything escaped, only our own <mark> added. */
export function snippetToHtml(snippet: string): string {
  return escapeHtml(fromIndexText(snippet)).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>')
}

/** True when the snippet contains at least one highlighted match. */
export function hasMark(snippet: string): boolean {
  return snippet.includes(MARK_OPEN)
}

export interface Term {
  /** Words of the term, as typed (lower case); one word, or several for a phrase. */
  words: string[]
  /** The last word also matches longer words ("kommun" → "kommunen"). */
  prefix: boolean
}

/**
 * Reads a query as people type it. "Quoted phrases" are kept exact; every other word is a prefix
 * term; words joined by punctuation ("e-post", "IT-avdelingen") become a phrase. FTS syntax (`*`, `-`,
 * `(`, `NEAR`, `AND`, a stray quote) is just text here: only letters and digits survive.
 */
export function parseQuery(input: string): Term[] {
  const text = input.normalize('NFC').slice(0, MAX_QUERY_LENGTH)
  const terms: Term[] = []
  // A quoted phrase, or a run of characters without spaces and without query-syntax characters
  // (inside such a run, "-", "'", "." and the like join words into a phrase). A stray quote is dropped.
  const pieces = /"([^"]*)"|([^\s"()*^{}[\]+<>~!?,;]+)/gu
  for (const m of text.matchAll(pieces)) {
    const quoted = m[1] !== undefined
    const words = wordsOf(quoted ? m[1]! : m[2]!)
    if (!words.length) continue
    const last = words[words.length - 1]!
    terms.push({ words, prefix: !quoted && [...last].length >= MIN_PREFIX_LENGTH })
    if (terms.length === MAX_TERMS) break
  }
  return terms
}

function wordsOf(text: string): string[] {
  return [...text.toLowerCase().replace(UNWANTED, '').matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0])
}

export interface MatchFilters {
  kind?: 'post' | 'micro' | 'comment'
  tagId?: number
}

/**
 * The FTS5 MATCH expression for parsed terms: every term must match (AND) in the text columns; the
 * kind and tag filters match facet tokens. Every word is quoted, so nothing typed is FTS syntax.
 */
export function toMatchExpression(terms: Term[], filters: MatchFilters = {}): string | undefined {
  if (!terms.length) return undefined
  const phrases = terms.map((t) => `"${t.words.map(toIndexText).join(' ')}"${t.prefix ? '*' : ''}`)
  let expr = `{title lead body tags} : (${phrases.join(' ')})`
  if (filters.kind) expr += ` AND facets : "${kindFacet(filters.kind)}"`
  if (filters.tagId !== undefined) expr += ` AND facets : "${tagFacet(filters.tagId)}"`
  return expr
}

export function kindFacet(kind: 'post' | 'micro' | 'comment'): string {
  return `k${kind}`
}

export function tagFacet(tagId: number): string {
  return `t${Math.trunc(tagId)}`
}

/** The words of the query, for the "you searched for" line and suggestions. */
export function describeQuery(terms: Term[]): string {
  return terms.map((t) => (t.words.length > 1 && !t.prefix ? `"${t.words.join(' ')}"` : t.words.join('-'))).join(' ')
}
