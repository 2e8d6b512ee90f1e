// Where a search runs: a new one in the search workers (pool.ts) on SQLite, unless SEARCH_WORKERS is
// 0; in this thread a popular one made again after a change (one at a time), every one on PostgreSQL
// (the database server does the work; the driver does not hold the thread), and whenever no worker
// can take it (a search is never refused for want of a worker).
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { syncSearchIndex } from '../indexer.js'
import type { SearchInput } from '../answer.js'
import type { Made } from '../kept-answers.js'
import { searchSite } from '../service.js'
import { SearchWorkers, WorkerStopped } from './pool.js'

export interface Searcher {
  /** `popular`: a popular query made again (KeptAnswers.wrap); it is answered in this thread (see below). */
  search(input: SearchInput, popular?: boolean): Promise<Made>
  /** The workers, when searches run in them. */
  readonly workers?: SearchWorkers
  close(): Promise<void>
}

export interface SearcherOptions {
  db: Kysely<DB>
  /** The SQLite file, or null on PostgreSQL. */
  sqliteFile: string | null
  /** SEARCH_WORKERS. */
  size: number
  log: FastifyBaseLogger
}

export function openSearcher({ db, sqliteFile, size, log }: SearcherOptions): Searcher {
  let hereNow = 0
  const here = async (input: SearchInput): Promise<Made> => {
    hereNow++
    try {
      return { result: await searchSite(db, input) }
    } finally {
      hereNow--
    }
  }
  if (sqliteFile === null || size === 0) return { search: here, close: async () => {} }
  const workers = new SearchWorkers(sqliteFile, size, (err) => {
    log.error({ err }, 'search: a worker stopped; searches run in the server meanwhile, and another starts in a few seconds')
  })
  return {
    workers,
    async search(input, popular = false) {
      // A popular search made again after a change runs here, at once: in a worker it waits behind
      // the new ones while everyone asking for it waits too (bench/README.md, "Search workers"). One
      // at a time: the next goes to a worker.
      if ((popular && hereNow === 0) || !workers.available()) return here(input)
      // What was written a moment ago is found now: the workers' connections cannot write the index.
      await syncSearchIndex(db)
      try {
        return await workers.run(input)
      } catch (err) {
        if (err instanceof WorkerStopped) return here(input)
        throw err
      }
    },
    close: () => workers.close(),
  }
}
