// Search as the site runs it in one thread: what was written a moment ago is indexed, then the query
// answered (answer.ts). The search workers (workers/) answer on connections that cannot write: their
// caller indexes first.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { answerQuery, type SearchInput, type SearchResult } from './answer.js'
import { syncSearchIndex } from './indexer.js'

export async function searchSite(db: Kysely<DB>, input: SearchInput): Promise<SearchResult> {
  await syncSearchIndex(db)
  return answerQuery(db, input)
}
