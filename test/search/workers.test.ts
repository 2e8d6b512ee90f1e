// New searches in worker threads (src/search/workers): the same answers as in the server's thread,
// what was written a moment before found, and a search answered even when no worker can start.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyBaseLogger } from 'fastify'
import { newestSearchChange } from '../../src/search/queries.js'
import { searchSite } from '../../src/search/service.js'
import { SearchWorkers, WorkerStopped } from '../../src/search/workers/pool.js'
import { openSearcher } from '../../src/search/workers/searcher.js'
import { buildTestApp } from '../helpers/app.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost } from '../feeds/fixtures.js'

const sqliteOnly = { skip: TEST_DATABASE_URL ? 'search workers are SQLite only' : false }

/** A logger that keeps what was logged at error level. */
function errorLog() {
  const errors: string[] = []
  const log = { error: (_obj: unknown, msg: string) => void errors.push(msg) } as unknown as FastifyBaseLogger
  return { log, errors }
}

test('a worker gives the answer the server would, and finds what was written a moment before', sqliteOnly, async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { displayName: 'Kari Nordmann' })
  const searcher = openSearcher({ db: app.db, sqliteFile: app.config.databaseFile, size: 2, log: app.log })
  t.after(() => searcher.close())
  const post = await insertPost(app, { author: kari, title: 'Budsjettet for skolene', markdown: 'Om budsjettet og **skolene** i kommunen.' })
  await insertMicro(app, { author: kari, body: 'Budsjettmøte i dag #økonomi' })
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Godt budsjett.' })
  assert.equal(searcher.workers?.running, 0, 'no worker before the first search')

  // Nothing was indexed yet: the searcher indexes what waits before a worker reads.
  const { result: inWorker, seq } = await searcher.search({ q: 'budsjett', page: 1 })
  assert.equal(searcher.workers?.running, 1, 'the search ran in a worker')
  assert.equal(seq, await newestSearchChange(app.db), "the index log's newest row in its snapshot")
  assert.deepEqual(inWorker.counts, { post: 1, micro: 1, comment: 1, all: 3 })
  assert.deepEqual(inWorker, await searchSite(app.db, { q: 'budsjett', page: 1 }))
  assert.match(inWorker.groups[0]!.hits[0]!.titleHtml, /^<mark>Budsjettet<\/mark> for skolene$/)

  // A popular search (one made again after a change) is answered in this thread, one at a time.
  const popular = await searcher.search({ q: 'budsjett', page: 1 }, true)
  assert.equal(popular.seq, undefined, 'answered here: no snapshot of a worker')
  assert.deepEqual(popular.result, inWorker)
  const [x, y] = await Promise.all([searcher.search({ q: 'budsjett', page: 1 }, true), searcher.search({ q: 'kommunen', page: 1 }, true)])
  assert.equal([x.seq, y.seq].filter((n) => n !== undefined).length, 1, 'the second of two at once went to a worker')
  assert.deepEqual([x.result.counts.all, y.result.counts.all], [3, 1])

  // Searches at once are spread over the workers, each answered as asked.
  const [a, b, c] = await Promise.all(['skolene', 'kommunen', 'ingenting'].map(async (q) => (await searcher.search({ q, page: 1 })).result))
  assert.equal(searcher.workers?.running, 2, 'the second worker started beside the first')
  assert.deepEqual([a!.counts.all, b!.counts.all, c!.counts.all], [1, 1, 0])
  await insertPost(app, { author: kari, title: 'Skolene får nye PC-er' })
  assert.equal((await searcher.search({ q: 'skolene', kind: 'post', page: 1 })).result.counts.post, 2, 'a post written after the last search is found')
})

test('a worker that cannot start: the search is answered in the server, the stop is logged, and no worker is tried again at once', sqliteOnly, async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await insertPost(app, { author: kari, title: 'Kantina åpner' })
  const { log, errors } = errorLog()
  const searcher = openSearcher({ db: app.db, sqliteFile: `${app.config.dataDir}/no-such-file.sqlite`, size: 1, log })
  t.after(() => searcher.close())
  assert.equal((await searcher.search({ q: 'kantina', page: 1 })).result.counts.post, 1)
  assert.equal(errors.length, 1)
  assert.match(errors[0]!, /worker stopped/)
  assert.equal(searcher.workers?.available(), false, 'its place is left empty for a while')
  assert.equal(searcher.workers?.available(Date.now() + 11_000), true, 'and then a new worker may start')
  assert.equal((await searcher.search({ q: 'kantina', page: 1 })).result.counts.post, 1, 'meanwhile searches run in the server')
  assert.equal(errors.length, 1, 'without trying a worker for each')

  const pool = new SearchWorkers(`${app.config.dataDir}/no-such-file.sqlite`, 1, () => {})
  t.after(() => pool.close())
  await assert.rejects(pool.run({ q: 'kantina', page: 1 }), WorkerStopped)
  await assert.rejects(pool.run({ q: 'kantina', page: 1 }), WorkerStopped, 'none can answer now')
})

test('a search not answered in time stops its worker; a worker holds a bounded number of searches', sqliteOnly, async (t) => {
  const app = await buildTestApp(t)
  const stops: Error[] = []
  const slow = new SearchWorkers(app.config.databaseFile, 1, (err) => void stops.push(err), { answerWithinMs: 1, maxInHand: 10 })
  t.after(() => slow.close())
  await assert.rejects(slow.run({ q: 'kantina', page: 1 }), WorkerStopped, 'a worker that takes longer than a millisecond to start and answer')
  assert.equal(stops.length, 1)
  assert.equal(slow.running, 0)

  const small = new SearchWorkers(app.config.databaseFile, 1, () => {}, { answerWithinMs: 30_000, maxInHand: 1 })
  t.after(() => small.close())
  const [first, second] = await Promise.allSettled([small.run({ q: 'kantina', page: 1 }), small.run({ q: 'kantina', page: 1 })])
  assert.equal(first.status, 'fulfilled')
  assert.ok(second.status === 'rejected' && second.reason instanceof WorkerStopped, 'the second is not queued behind the first')
})

test('a search page through the workers; SEARCH_WORKERS=0 searches in the server', async (t) => {
  const app = await buildTestApp(t, { SEARCH_WORKERS: '1' })
  const kari = await makeUser(app)
  const reader: Client = await loggedIn(app, kari)
  await insertPost(app, { author: kari, title: 'Nytt intranett lansert' })
  const page = await reader.get('/search?q=intranett')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<mark>intranett<\/mark>/)
  assert.equal(app.config.searchWorkers, 1)

  const none = openSearcher({ db: app.db, sqliteFile: app.config.databaseFile, size: 0, log: app.log })
  assert.equal(none.workers, undefined)
  assert.equal((await none.search({ q: 'intranett', page: 1 })).result.counts.post, 1)
  const onPostgres = openSearcher({ db: app.db, sqliteFile: null, size: 2, log: app.log })
  assert.equal(onPostgres.workers, undefined)
})
