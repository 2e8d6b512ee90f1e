// Search text rules, as plain functions: what goes into the index, how a person's query becomes an
// FTS5 MATCH expression, and how a highlighted snippet becomes safe HTML.
//
// Norwegian letters: FTS5's unicode61 tokenizer (remove_diacritics 2) folds é → e and ü → u, which
// readers expect, but it would also fold å into a ("åpen" would find "apen"). æ and ø it keeps. So the
// index and the queries write å as "a" + RING (a private-use character, a token character for FTS5
// that no folding touches): "Åpen" → "A\uE000pen" is still matched case-insensitively, never as "apen".
import { escapeHtml } from '../markdown/escape.js'

const RING = '\uE000'
export const MAX_QUERY_LENGTH = 200
const MAX_TERMS = 10
/**
 * Shorter words are matched exactly: "IT" should not find "item", and a short prefix expands to half
 * the vocabulary. Three-letter prefixes have their own index (prefix = '3' in the migration).
 */
const MIN_PREFIX_LENGTH = 3

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

export interface Term {
  /** Words of the term, as typed (lower case); one word, or several for a phrase. */
  words: string[]
  /** The last word also matches longer words ("kommun" → "kommunen"). */
  prefix: boolean
}

// Words in nearly every text. Next to other words they only cost time (every match must be ranked)
// and find nothing more, so they are left out then; alone, or inside quotes, they are searched.
const STOPWORDS = new Set(`og i det som på er til en et ei av for at de den dei dei med ikke ikkje har vi kan om var skal
seg men så fra frå eller når også sin jeg eg du han hun ho oss dem vil må the of and to in is a an on`.split(/\s+/))

/**
 * Reads a query as people type it. "Quoted phrases" are kept exact; every other word is a prefix
 * term; words joined by punctuation ("e-post", "IT-avdelingen") become a phrase. FTS syntax (`*`, `-`,
 * `(`, `NEAR`, `AND`, a stray quote) is just text here: only letters and digits survive.
 */
export function parseQuery(input: string): Term[] {
  const text = input.normalize('NFC').slice(0, MAX_QUERY_LENGTH)
  const found: { term: Term; stopword: boolean }[] = []
  // A quoted phrase, or a run of characters without spaces and without query-syntax characters
  // (inside such a run, "-", "'", "." and the like join words into a phrase). A stray quote is dropped.
  const pieces = /"([^"]*)"|([^\s"()*^{}[\]+<>~!?,;]+)/gu
  for (const m of text.matchAll(pieces)) {
    const quoted = m[1] !== undefined
    const words = wordsOf(quoted ? m[1]! : m[2]!)
    if (!words.length) continue
    const last = words[words.length - 1]!
    const term = { words, prefix: !quoted && [...last].length >= MIN_PREFIX_LENGTH }
    found.push({ term, stopword: !quoted && words.length === 1 && STOPWORDS.has(last) })
    if (found.length === MAX_TERMS) break
  }
  const meaningful = found.filter((f) => !f.stopword)
  return (meaningful.length ? meaningful : found).map((f) => f.term)
}

function wordsOf(text: string): string[] {
  return [...text.toLowerCase().replace(UNWANTED, '').matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0])
}

export interface MatchFilters {
  tagId?: number
}

export type TextColumn = 'title' | 'lead' | 'body' | 'tags'
const TEXT_COLUMNS: readonly TextColumn[] = ['title', 'lead', 'body', 'tags']

const phraseOf = (t: Term) => `"${t.words.map(toIndexText).join(' ')}"${t.prefix ? '*' : ''}`

/**
 * The FTS5 MATCH expression for parsed terms: every term must match (AND) in the text columns (or
 * only in `columns`); the tag filter matches a facet token. Every word is quoted, so nothing typed is
 * FTS syntax. (The kind filter is a rowid range: see queries.ts.)
 */
export function toMatchExpression(terms: Term[], filters: MatchFilters = {}, columns: readonly TextColumn[] = TEXT_COLUMNS): string | undefined {
  if (!terms.length) return undefined
  let expr = `{${columns.join(' ')}} : (${terms.map(phraseOf).join(' ')})`
  if (filters.tagId !== undefined) expr += ` AND facets : "${tagFacet(filters.tagId)}"`
  return expr
}

/** Each term, and the tag filter, as a MATCH expression of its own (how common each one is decides how results are ranked). */
export function toPhraseExpressions(terms: Term[], filters: MatchFilters = {}): string[] {
  const phrases = terms.map((t) => `{${TEXT_COLUMNS.join(' ')}} : (${phraseOf(t)})`)
  if (filters.tagId !== undefined) phrases.push(`facets : "${tagFacet(filters.tagId)}"`)
  return phrases
}

export function tagFacet(tagId: number): string {
  return `t${Math.trunc(tagId)}`
}

// ── Highlighting ─────────────────────────────────────────────────────────────────────────────
// Done here rather than with FTS5's snippet(): that needs the MATCH to run again for every shown row.

/** A word as the index compares it: lower case, accents off, but å, æ and ø kept (see above). */
export function foldWord(word: string): string {
  return word.toLowerCase().replace(/å/g, RING).normalize('NFD').replace(/\p{M}/gu, '').replace(/\uE000/g, 'å')
}

interface Token { start: number; end: number; folded: string }

function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, folded: foldWord(m[0]) }))
}

/** Which tokens the terms match (phrases word by word, the last word of a prefix term as a prefix). */
function matchedTokens(toks: Token[], terms: Term[]): boolean[] {
  const marked = toks.map(() => false)
  for (const term of terms) {
    const words = term.words.map(foldWord)
    for (let i = 0; i + words.length <= toks.length; i++) {
      const ok = words.every((w, j) => {
        const tok = toks[i + j]!.folded
        return j === words.length - 1 && term.prefix ? tok.startsWith(w) : tok === w
      })
      if (ok) for (let j = 0; j < words.length; j++) marked[i + j] = true
    }
  }
  return marked
}

export interface Highlighted {
  /** Safe HTML: the escaped text, with <mark> around the words that match. */
  html: string
  matched: boolean
}

/**
 * Plain text → HTML with the query's words marked. With maxWords, a window of about that many
 * words around the first match (or from the start), with "…" where text is left out.
 */
export function highlight(text: string, terms: Term[], maxWords?: number): Highlighted {
  const toks = tokens(text)
  const marked = matchedTokens(toks, terms)
  const first = marked.indexOf(true)
  let from = 0
  let to = toks.length
  if (maxWords !== undefined && toks.length > maxWords) {
    from = Math.max(0, Math.min(first < 0 ? 0 : first - Math.floor(maxWords / 4), toks.length - maxWords))
    to = from + maxWords
  }
  const startChar = from === 0 ? 0 : toks[from]!.start
  const endChar = to >= toks.length ? text.length : toks[to - 1]!.end
  let html = from > 0 ? '…' : ''
  let pos = startChar
  for (let i = from; i < to; i++) {
    const t = toks[i]!
    html += escapeHtml(text.slice(pos, t.start))
    const word = escapeHtml(text.slice(t.start, t.end))
    html += marked[i] ? `<mark>${word}</mark>` : word
    pos = t.end
  }
  html += escapeHtml(text.slice(pos, endChar)) + (to < toks.length ? '…' : '')
  return { html: html.replace(/<\/mark>(\s*)<mark>/g, '$1'), matched: first >= 0 }
}
