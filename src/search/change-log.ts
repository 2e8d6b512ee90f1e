// The log of what the index's changes touched (migrations/0240): each batch the indexer writes adds
// the words of its documents' old and new text, in the same transaction, whichever process indexed.
// Kept answers (kept-answers.ts) read it to tell whether a change could alter them.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { insertSearchChange, type IndexRow } from './queries.js'
import { fromIndexText, type Term } from './text.js'

/** Logged instead of the words when a batch touched very many: every answer made before it is stale. */
export const EVERY_WORD = '*'
/** Past this many words a batch (a re-index of everything, an import) is logged as EVERY_WORD. */
const MAX_LOGGED_WORDS = 5_000

/** Logs the words of documents' texts (index encoding) taken out of and put into the index. */
export async function logTouchedWords(db: Kysely<DB>, texts: Pick<IndexRow, 'title' | 'lead' | 'body' | 'tags'>[]): Promise<void> {
  const words = distinctWords(texts.flatMap((t) => [t.title, t.lead, t.body, t.tags]))
  if (words.length) await insertSearchChange(db, words.length > MAX_LOGGED_WORDS ? EVERY_WORD : words.join(' '))
}

// Both sides of the comparison (the logged words and an answer's) are folded more coarsely than FTS5's
// unicode61 tokenizer and foldWord (text.ts) are, since the two differ at the edges: compatibility
// forms (ſ, µ, ϐ …) and final sigma are one letter to FTS5, a letter with a mark that has no composed
// form stays in its token, and a few letters (New Tai Lue vowel signs, Vedic signs) separate tokens.
// Coarser only ever drops an answer more often. Words are cut at MAX_WORD letters: a cut word still
// starts the cut form of every word it started.
const SPLITS = /[\u19B0-\u19C9\u1CD0-\u1CFF]+/u
const MAX_WORD = 32
const coarse = (word: string) => word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ς/g, 'σ').slice(0, MAX_WORD)

/** A word's coarse forms: the whole, and its pieces between letters that separate FTS5's tokens. */
function coarseForms(word: string): string[] {
  return [word, ...word.split(SPLITS)].map(coarse).filter(Boolean)
}

/** Every word of some index texts, coarsely folded (runs with and without marks), sorted, each once. */
export function distinctWords(texts: string[]): string[] {
  const words = new Set<string>()
  for (const text of texts) {
    const plain = fromIndexText(text)
    for (const m of plain.matchAll(/[\p{L}\p{N}]+/gu)) for (const w of coarseForms(m[0])) words.add(w)
    for (const m of plain.matchAll(/[\p{L}\p{N}\p{M}]+/gu)) for (const w of coarseForms(m[0])) words.add(w)
  }
  return [...words].sort()
}

/** The words an answer to these terms depends on, folded as distinctWords folds them. */
export function wordsOfTerms(terms: Term[]): string[] {
  return [...new Set(terms.flatMap((t) => t.words.flatMap(coarseForms)))]
}

/**
 * Whether a logged batch (its sorted words, or EVERY_WORD) could change an answer with these words:
 * one of them is a logged word or the start of one. Every word counts as a prefix, so an exact
 * term, a phrase's inner word or a word the tokenizer splits otherwise errs on the side of stale.
 */
export function touches(logged: readonly string[] | typeof EVERY_WORD, words: readonly string[]): boolean {
  if (logged === EVERY_WORD) return true
  for (const w of words) {
    let lo = 0
    let hi = logged.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (logged[mid]! < w) lo = mid + 1
      else hi = mid
    }
    if (lo < logged.length && logged[lo]!.startsWith(w)) return true
  }
  return false
}
