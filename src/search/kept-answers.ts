// Search answers, shared by everyone and kept until the index changes under them.
//
// Everyone finds the same (published, visible) things, so an answer is kept per query. Before, it
// died with any write at all; at ten writes a second a kept answer hardly ever served twice. Now it
// dies only with a change that could alter it: a document with one of its words indexed, edited or
// taken out (the index's change log, change-log.ts, in any process), or a change to what its hits
// show besides the text: people's names ('users'), posts' titles and addresses ('posts').
//
// A write queues its documents (the triggers of migrations/0020) and names its scope in the change
// feed in the same transaction. A request that sees content changed since the last look first
// indexes what waits, then reads the log rows added since: an answer is never served past a change
// committed before the request began. While more documents wait than one batch (an import), answers
// are made but not kept.
import { hash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { changedSince, type ChangeFeed } from '../coherence/index.js'
import type { DB } from '../db/schema.js'
import { everythingGeneration, GenerationCache } from '../web/page-cache.js'
import { EVERY_WORD, touches, wordsOfTerms } from './change-log.js'
import { INDEX_BATCH, syncSearchIndex } from './indexer.js'
import { hasPendingDocs, listSearchChangesAfter, newestSearchChange } from './queries.js'
import type { SearchResult } from './answer.js'

/** The change feed's scopes whose writes queue documents for the index. */
const INDEXED_SCOPES = ['posts', 'comments', 'micro']
/** Popular keys remembered (as short hashes); past this the memory starts afresh. */
const MAX_POPULAR = 20_000
const keyHash = (key: string) => hash('sha256', key, 'base64url').slice(0, 16)
/** Log rows read at a time. */
const PAGE = 500
/** Letters of log rows held in memory; an answer older than the oldest row held is made again. */
const MAX_HELD = 1_000_000

/**
 * An answer as made, with the newest row of the index's change log it reflects when its maker knows
 * (a search worker reads it in the answer's snapshot); otherwise the row known when it was begun.
 */
export interface Made { result: SearchResult; seq?: number }

/** What an answer's hits show besides the text: people's names, posts' titles and addresses. */
const ANSWER_SCOPES = ['users', 'posts']

/** An answer being made: requests that see nothing changed since it was begun wait for it. */
interface Begun { seq: number; made: number; everything: number }
interface Making extends Begun { result: Promise<SearchResult> }

interface Batch { seq: number; words: readonly string[] | typeof EVERY_WORD; size: number; read: number }

interface Answer {
  result: SearchResult
  /** The folded words of its terms (change-log.ts wordsOfTerms). */
  words: string[]
  /** The log's newest row when it was made, and the newest row checked against it since. */
  seq: number
  checked: number
  /** The change feed's number when it was made, and what else its hits show. */
  made: number
  scopes: string[]
  /** everythingGeneration() when it was made: bumpContentGeneration() drops kept answers too. */
  everything: number
  /** It answered a request besides the one it was made for. */
  served?: boolean
}

export class KeptAnswers {
  private readonly answers: GenerationCache<Answer>
  /** Log rows read so far, oldest first; every row after `floor` is here. */
  private batches: Batch[] = []
  private held = 0
  private floor = -1
  private known = -1
  /** The newest change to INDEXED_SCOPES taken in by the last catch-up. */
  private caughtUp = -1
  private catching: Promise<void> | undefined
  /** The last catch-up left documents queued (more than one batch waited): answers are not kept. */
  private backlog = false
  private readonly keptResults = new WeakSet<SearchResult>()
  private readonly making = new Map<string, Making>()
  /** Keys whose kept answer served a request (hashed): a search made again after a change, not a new one. */
  private readonly popular = new Set<string>()

  constructor(private readonly db: Kysely<DB>, private readonly changes: ChangeFeed, private readonly options: { maxEntries: number; ttlMs: number }) {
    this.answers = new GenerationCache<Answer>({ ...options, isCurrent: (a) => this.isCurrent(a) })
  }

  /**
   * The kept answer for `key`, or the one `make` makes (kept unless made stale meanwhile); `make`
   * learns whether the key is popular: a kept answer of it served a request before (in this process,
   * among the last MAX_POPULAR such keys). Requests for an answer being made wait for it, unless
   * something changed since it was begun: a search takes milliseconds (in a worker, longer than a
   * page), and each would otherwise make its own.
   */
  async wrap(key: string, changeSeen: number, make: (popular: boolean) => Promise<Made>): Promise<SearchResult> {
    await this.catchUp()
    const hit = this.answers.get(key)
    if (hit) {
      if (!hit.served) {
        hit.served = true
        if (this.popular.size >= MAX_POPULAR) this.popular.clear()
        this.popular.add(keyHash(key))
      }
      return hit.result
    }
    const begun = this.making.get(key)
    if (begun && begun.seq === this.known && begun.everything === everythingGeneration() && this.changes.lastChange(ANSWER_SCOPES) <= begun.made) {
      return begun.result
    }
    const at = { seq: this.known, made: changeSeen, everything: everythingGeneration() }
    const popular = this.popular.has(keyHash(key))
    const making: Making = { ...at, result: this.make(key, () => make(popular), at) }
    this.making.set(key, making)
    try {
      return await making.result
    } finally {
      if (this.making.get(key) === making) this.making.delete(key)
    }
  }

  private async make(key: string, make: () => Promise<Made>, at: Begun): Promise<SearchResult> {
    const { result, seq = at.seq } = await make()
    const words = wordsOfTerms(result.terms)
    const shown = result.tag || [...result.hits, ...result.groups.flatMap((g) => g.hits)].some((h) => h.kind !== 'micro')
    const answer: Answer = { result, words, ...at, seq, checked: seq, scopes: shown ? ANSWER_SCOPES : ['users'] }
    // Made while documents still waited: the job indexes them later, and no change would tell.
    if (!this.backlog) {
      this.answers.set(key, answer)
      this.keptResults.add(result)
    }
    return result
  }

  /** Whether this answer is kept (so that what is made from it may be kept as long): not while documents wait. */
  kept(result: SearchResult): boolean {
    return this.keptResults.has(result)
  }

  clear(): void {
    this.answers.clear()
  }

  private isCurrent(a: Answer): boolean {
    if (a.everything !== everythingGeneration() || a.seq < this.floor || changedSince(this.changes, a.scopes, a.made)) return false
    for (let i = this.batches.length - 1; i >= 0 && this.batches[i]!.seq > a.checked; i--) {
      if (touches(this.batches[i]!.words, a.words)) return false
    }
    a.checked = Math.max(a.checked, this.known)
    return true
  }

  /**
   * Indexes what waits and reads the new log rows, once per content change (concurrent callers share
   * it): at most twice, for a catch-up already under way may have begun before the change this
   * request saw.
   */
  private async catchUp(): Promise<void> {
    const seen = this.changes.lastChange(INDEXED_SCOPES)
    // A backlog is indexed a batch per request, not all by one request.
    for (let round = 0; this.known < 0 || seen > this.caughtUp || (this.backlog && round === 0); round++) {
      this.catching ??= this.readLog().finally(() => (this.catching = undefined))
      await this.catching
    }
  }

  private async readLog(): Promise<void> {
    const at = this.changes.lastChange(INDEXED_SCOPES)
    this.backlog = (await syncSearchIndex(this.db)) >= INDEX_BATCH && (await hasPendingDocs(this.db))
    if (this.known < 0) {
      this.known = this.floor = await newestSearchChange(this.db)
    } else {
      for (let rows = await listSearchChangesAfter(this.db, this.known, PAGE); rows.length; rows = rows.length < PAGE ? [] : await listSearchChangesAfter(this.db, this.known, PAGE)) {
        for (const r of rows) {
          const words = r.words === EVERY_WORD ? EVERY_WORD : r.words.split(' ')
          this.hold({ seq: r.seq, words, size: r.words.length + 16 * words.length, read: Date.now() })
        }
        this.known = rows.at(-1)!.seq
      }
    }
    this.trim(Date.now())
    this.caughtUp = at
  }

  private hold(batch: Batch): void {
    this.batches.push(batch)
    this.held += batch.size
  }

  /** Forgets the oldest rows past MAX_HELD, and those read longer ago than an answer lives (every answer that needs them is gone). */
  private trim(now: number): void {
    while (this.batches.length && (this.held > MAX_HELD || this.batches[0]!.read < now - this.options.ttlMs)) {
      const dropped = this.batches.shift()!
      this.held -= dropped.size
      this.floor = dropped.seq
    }
  }
}
