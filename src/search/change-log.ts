// The log of what the index's changes touched (migrations/0240): each batch the indexer writes adds
// the words of its documents' old and new text, in the same transaction, whichever process indexed.
// Kept answers (kept-answers.ts) read it to tell whether a change could alter them.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { insertSearchChange } from './queries.js'
import { distinctWords, foldWord, type Term } from './text.js'

/** Logged instead of the words when a batch touched very many: every answer made before it is stale. */
export const EVERY_WORD = '*'
/** Past this many words a batch (a re-index of everything, an import) is logged as EVERY_WORD. */
const MAX_LOGGED_WORDS = 5_000

export interface IndexedText { title: string; lead: string; body: string; tags: string }

/** Logs the words of documents' texts (index encoding) taken out of and put into the index. */
export async function logTouchedWords(db: Kysely<DB>, texts: IndexedText[]): Promise<void> {
  const words = distinctWords(texts.flatMap((t) => [t.title, t.lead, t.body, t.tags]))
  if (words.length) await insertSearchChange(db, words.length > MAX_LOGGED_WORDS ? EVERY_WORD : words.join(' '))
}

/** The words an answer to these terms depends on, folded as the index folds them. */
export function wordsOfTerms(terms: Term[]): string[] {
  return [...new Set(terms.flatMap((t) => t.words.map(foldWord)))]
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
