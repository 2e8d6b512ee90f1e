// Kept search answers: shared and kept through writes that cannot alter them, made again at once by
// one that can, whichever process made it (src/search/kept-answers.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { distinctWords, EVERY_WORD, touches, wordsOfTerms } from '../../src/search/change-log.js'
import { KeptAnswers } from '../../src/search/kept-answers.js'
import { parseQuery } from '../../src/search/text.js'
import { drainSearchQueue } from '../../src/search/indexer.js'
import { inReadSnapshot, pruneSearchChanges } from '../../src/search/queries.js'
import { answerQuery } from '../../src/search/answer.js'
import { searchSite } from '../../src/search/service.js'
import { bumpContentGeneration } from '../../src/web/page-cache.js'
import { buildTestApp, dataEnv, testConfig } from '../helpers/app.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost, makePublic, setPostStatus } from '../feeds/fixtures.js'

test('a logged batch touches an answer when one of its words is a logged word or begins one', () => {
  const logged = ['budsjett', 'kantina', 'kantinamaten', 'møte', 'åpen'].sort()
  assert.equal(touches(logged, ['kantin']), true)
  assert.equal(touches(logged, ['kantinamat']), true)
  assert.equal(touches(logged, ['kantinab']), false)
  assert.equal(touches(logged, ['x', 'bud']), true)
  assert.equal(touches(logged, ['mote', 'apen', 'zz']), false, 'ø and å are not folded away')
  assert.equal(touches([], ['a']), false)
  assert.equal(touches(EVERY_WORD, ['zz']), true)
  // Both sides are folded more coarsely than the index: accents and å's ring off, compatibility forms
  // (ſ, µ) and final sigma as FTS5 reads them, a run with a mark that has no composed form whole and
  // split, pieces between letters that separate FTS5's tokens, words cut at 32 letters.
  assert.deepEqual(distinctWords(['Kafé A\uE000pen', 'abq\u0307c', 'ſunny µs λόγος', `ab\u19B0cd ${'x'.repeat(40)}`]),
    ['ab', 'ab\u19B0cd', 'abq', 'abqc', 'apen', 'c', 'cd', 'kafe', 'sunny', 'x'.repeat(32), 'λογοσ', 'μs'].sort())
  assert.deepEqual(wordsOfTerms(parseQuery('Åpen "e-post" Kafé')), ['apen', 'e', 'post', 'kafe'])
})

/** Answers to `q` through a KeptAnswers of its own, counting how often one is made. */
function asker(app: FastifyInstance) {
  const kept = new KeptAnswers(app.db, app.changes, { maxEntries: 10, ttlMs: 60_000 })
  const counter = { made: 0, popular: [] as boolean[] }
  const ask = async (q: string) => {
    await app.changes.catchUp?.() // as every request does first (PostgreSQL: changes arrive by NOTIFY)
    return kept.wrap(q, app.changes.sync(), async (popular) => {
      counter.made++
      counter.popular.push(popular)
      return { result: await searchSite(app.db, { q, page: 1 }) }
    })
  }
  return { ask, counter }
}

test('a kept answer lives through writes without its words and is made again by one with them', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { displayName: 'Kari Leser' })
  const post = await insertPost(app, { author: kari, title: 'Kantina åpner' })
  const { ask, counter } = asker(app)
  assert.equal((await ask('kantina')).counts.all, 1)
  assert.equal((await ask('kantina')).counts.all, 1)
  assert.equal(counter.made, 1)

  // An update, a comment and a like without the word: the answer is kept.
  const micro = await insertMicro(app, { author: kari, body: 'Budsjettet er vedtatt' })
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Gratulerer med budsjettet' })
  await app.db.insertInto('micro_likes').values({ micro_id: micro, user_id: kari.id, created_at: new Date().toISOString() }).execute()
  assert.equal((await ask('kantina')).counts.all, 1)
  assert.equal(counter.made, 1, 'kept through writes that cannot change it')

  // A comment with a word the term is a prefix of: found on the next search.
  const comment = await insertComment(app, { postId: post.id, author: kari, markdown: 'Kantinamaten er god' })
  assert.equal((await ask('kantina')).counts.comment, 1)
  assert.deepEqual(counter.popular, [false, true], 'made again after its answer served a request, the maker knows it is popular')
  assert.equal(counter.made, 2)
  // Hidden: gone on the next search.
  await app.db.updateTable('comments').set({ hidden_at: new Date().toISOString() }).where('id', '=', comment).execute()
  assert.equal((await ask('kantina')).counts.comment, 0)
  // Withdrawn: the post and every comment on it.
  await setPostStatus(app, post.id, 'withdrawn')
  assert.equal((await ask('kantina')).counts.all, 0)
  await setPostStatus(app, post.id, 'published')
  assert.equal((await ask('kantina')).counts.post, 1)
  assert.equal(counter.made, 5)

  // What a hit shows besides the text: the author's name.
  await app.db.updateTable('users').set({ display_name: 'Kari Nordmann' }).where('id', '=', kari.id).execute()
  const renamed = await ask('kantina')
  assert.equal(renamed.groups[0]!.hits[0]!.author.name, 'Kari Nordmann')
  assert.equal(counter.made, 6)

  // Another query's answer is not touched by the word of this one.
  assert.equal((await ask('budsjett')).counts.all, 2)
  await insertMicro(app, { author: kari, body: 'Kantina stenger i juli' })
  assert.equal((await ask('budsjett')).counts.all, 2)
  assert.equal((await ask('kantina')).counts.micro, 1)
  assert.equal(counter.made, 8, 'budsjett kept, kantina made again')

  // Dropping every kept page (bumpContentGeneration) drops the kept answers too.
  bumpContentGeneration()
  assert.equal((await ask('budsjett')).counts.all, 2)
  assert.equal(counter.made, 9)
})

test('a search is popular once a kept answer of it served a request', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const post = await insertPost(app, { author: kari, title: 'Kantina åpner' })
  const { ask, counter } = asker(app)
  await ask('kantina')
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Kantina igjen' })
  await ask('kantina') // made again, but no kept answer of it served anyone yet
  await ask('kantina') // served from the kept answer
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Kantina for tredje gang' })
  await ask('kantina')
  assert.deepEqual(counter.popular, [false, false, true])
})

test('requests for an answer being made wait for it, unless something changed since it was begun', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const post = await insertPost(app, { author: kari, title: 'Kantina åpner' })
  const kept = new KeptAnswers(app.db, app.changes, { maxEntries: 10, ttlMs: 60_000 })
  let made = 0
  let open = () => {}
  // `held`: the answer is made only once the gate opens, as a slow search (or a busy worker) would be.
  const ask = async (q: string, held = false) => {
    await app.changes.catchUp?.()
    return kept.wrap(q, app.changes.sync(), async () => {
      made++
      if (held) await new Promise<void>((resolve) => (open = resolve))
      return { result: await searchSite(app.db, { q, page: 1 }) }
    })
  }
  const begun = async (n: number) => {
    while (made < n) await new Promise((resolve) => setImmediate(resolve))
  }

  const first = ask('kantina', true)
  await begun(1)
  const second = ask('kantina')
  await new Promise((resolve) => setImmediate(resolve))
  open()
  const [a, b] = await Promise.all([first, second])
  assert.equal(made, 1, 'the second request waited for the first one\'s answer')
  assert.equal(a, b)
  assert.equal(a.counts.post, 1)

  // A comment with the word written while an answer is made: a request after it makes its own.
  const third = ask('åpner', true)
  await begun(2)
  await insertComment(app, { postId: post.id, author: kari, markdown: 'Åpner den i morgen?' })
  const fourth = await ask('åpner')
  assert.equal(made, 3)
  assert.equal(fourth.counts.comment, 1, 'the new comment is in the answer')
  open()
  assert.equal((await third).counts.comment, 1)
})

test('an answer that says which batch of the index it reflects lives through the batches before it', { skip: !!TEST_DATABASE_URL && 'search workers (which know their snapshot) are SQLite only' }, async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const post = await insertPost(app, { author: kari, title: 'Kantina åpner' })
  const kept = new KeptAnswers(app.db, app.changes, { maxEntries: 10, ttlMs: 60_000 })
  let made = 0
  // As a search worker answers: after waiting its turn, in one snapshot, with the log's newest row in it.
  const ask = (q: string, snapshot: boolean, meanwhile?: () => Promise<void>) => kept.wrap(q, app.changes.sync(), async () => {
    made++
    await meanwhile?.()
    if (!snapshot) return { result: await searchSite(app.db, { q, page: 1 }) }
    const { value, seq } = await inReadSnapshot(app.db, (db) => answerQuery(db, { q, page: 1 }))
    return { result: value, seq }
  })
  const comment = (text: string) => async () => {
    await insertComment(app, { postId: post.id, author: kari, markdown: text })
    await drainSearchQueue(app.db)
  }

  // A comment with the word written and indexed while the answer waited: the answer has it, and is kept.
  assert.equal((await ask('kantina', true, comment('Kantina har suppe i dag'))).counts.comment, 1)
  assert.equal((await ask('kantina', true)).counts.comment, 1)
  assert.equal(made, 1, 'kept: it reflects the batch that came while it waited')
  // Without the log's row, the same answer is taken as older than that batch, and made again.
  assert.equal((await ask('suppe', false, comment('Suppe igjen i morgen'))).counts.comment, 2)
  assert.equal((await ask('suppe', false)).counts.comment, 2)
  assert.equal(made, 3)
  // A batch after the snapshot still ends it.
  await comment('Mer kantina')()
  assert.equal((await ask('kantina', true)).counts.comment, 2)
  assert.equal(made, 4)
})

test('a change indexed by another instance makes the kept answer again', async (t) => {
  const first = await buildTestApp(t)
  const second = await buildApp(testConfig(first.config.dataDir, dataEnv(first)))
  t.after(() => second.close())
  const kari = await makeUser(first)
  await insertPost(first, { author: kari, title: 'Kantina åpner' })
  const { ask, counter } = asker(first)
  assert.equal((await ask('kantina')).counts.all, 1)

  // The second instance writes and indexes (its job, or a search of its own): this one must see it.
  const micro = await insertMicro(second, { author: kari, body: 'Kantina har suppe' })
  assert.ok((await drainSearchQueue(second.db)) > 0)
  assert.equal((await ask('kantina')).counts.micro, 1)
  await second.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString() }).where('id', '=', micro).execute()
  assert.ok((await drainSearchQueue(second.db)) > 0)
  assert.equal((await ask('kantina')).counts.micro, 0)
  assert.equal(counter.made, 3)
})

test('search pages show publishing, a new comment and hiding at once, for anonymous and logged-in readers', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const ola = await makeUser(app)
  await makePublic(app)
  const post = await insertPost(app, { author: ola, title: 'Kantina åpner' })
  const draft = await insertPost(app, { author: ola, title: 'Kantina får ny meny', status: 'draft' })
  const micro = await insertMicro(app, { author: ola, body: 'Kantina har vafler i dag' })
  const readers = [new Client(app), await loggedIn(app, kari)]
  const url = '/search?q=kantina'
  const everyone = async (check: (body: string, who: string) => void) => {
    for (const [i, r] of readers.entries()) {
      const res = await r.get(url)
      assert.equal(res.statusCode, 200)
      check(res.body, i === 0 ? 'anonymous reader' : 'logged-in reader')
    }
  }
  await everyone((body, who) => assert.match(body, /vafler/, who))
  await everyone((body, who) => assert.doesNotMatch(body, /ny meny/, who))

  await setPostStatus(app, draft.id, 'published')
  await everyone((body, who) => assert.match(body, /ny meny/, who))

  const writer = await loggedIn(app, ola)
  const sent = await writer.post('/comments', { postId: String(post.id), body: 'Kantinakaffen er best' }, { from: `/posts/${post.slug}` })
  assert.equal(sent.statusCode, 303)
  await everyone((body, who) => assert.match(body, /Kantinakaffen/, who))

  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString(), hidden_reason: 'test' }).where('id', '=', micro).execute()
  await everyone((body, who) => assert.doesNotMatch(body, /vafler/, who))
})

test('the log of index changes is pruned in two steps: what one run found goes at the next', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await insertMicro(app, { author: kari, body: 'Første oppdatering' })
  await drainSearchQueue(app.db)
  const first = await pruneSearchChanges(app.db, 0)
  assert.ok(first > 0, 'nothing deleted on the first run')
  await insertMicro(app, { author: kari, body: 'Andre oppdatering' })
  await drainSearchQueue(app.db)
  const second = await pruneSearchChanges(app.db, first)
  assert.ok(second > first)
  const left = await app.db.selectFrom('search_changes').select(['seq', 'words']).execute()
  assert.deepEqual(left.map((r) => Number(r.seq)), [second])
  assert.match(left[0]!.words, /\bandre\b/)
})

test('numbers of the log are never used again, even after the prune has emptied it', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const { ask } = asker(app)
  assert.equal((await ask('kantina')).counts.all, 0)
  for (const body of ['Oppdatering en', 'Oppdatering to', 'Oppdatering tre']) {
    await insertMicro(app, { author: kari, body })
    assert.equal((await ask('kantina')).counts.all, 0)
  }
  // Two runs of the prune with nothing written between them.
  await pruneSearchChanges(app.db, await pruneSearchChanges(app.db, 0))
  await insertMicro(app, { author: kari, body: 'Kantina har suppe' })
  assert.equal((await ask('kantina')).counts.micro, 1)
})

test('a letter FTS5 reads as another (long s) still makes the answer again', { skip: !!TEST_DATABASE_URL && 'FTS5 folds ſ into s; the PostgreSQL index folds as foldWord does' }, async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const { ask } = asker(app)
  assert.equal((await ask('sunny')).counts.all, 0)
  await insertMicro(app, { author: kari, body: 'ſunny days' })
  assert.equal((await searchSite(app.db, { q: 'sunny', page: 1 })).counts.micro, 1, 'FTS5 finds it')
  assert.equal((await ask('sunny')).counts.micro, 1)
})

test('an answer made while more than a batch of documents waits is not kept', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const { ask } = asker(app)
  assert.equal((await ask('kantina')).counts.all, 0)
  // An import: more than a catch-up and a search index between them.
  const rows = Array.from({ length: 450 }, (_, i) => ({ author_id: kari.id, body: `Kantina ${i}`, body_html: `<p>Kantina ${i}</p>`, created_at: new Date().toISOString(),
    reply_to_id: null, root_id: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null }))
  await app.db.insertInto('micro_posts').values(rows).execute()
  assert.ok((await ask('kantina')).counts.micro < 450)
  await drainSearchQueue(app.db) // the job, with no change to tell anyone
  assert.equal((await ask('kantina')).counts.micro, 450)
})
