import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost, makePublic, setPostStatus } from '../feeds/fixtures.js'
import { BM25_LIMIT, WINDOW } from '../../src/search/answer.js'
import { searchSite } from '../../src/search/service.js'
import { drainSearchQueue } from '../../src/search/indexer.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'

/** The titles/links of the hits on a search page, in order. */
function hitLinks(html: string): string[] {
  return [...html.matchAll(/<li class="search-hit">[\s\S]*?<h[23]>\s*<a href="([^"]+)">/g)].map((m) => m[1]!)
}

/** The hits of a search: a kind's page, or all groups of the overview in order. */
async function search(app: FastifyInstance, q: string, extra: { kind?: 'post' | 'micro' | 'comment'; tag?: string; page?: number } = {}) {
  const r = await searchSite(app.db, { q, page: 1, ...extra })
  return { ...r, hits: extra.kind ? r.hits : r.groups.flatMap((g) => g.hits) }
}

test('Norwegian: prefixes, æ/ø/å kept apart from a/o, other accents folded, case ignored', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const p = async (title: string) => (await insertPost(app, { author: kari, title, markdown: 'Tekst.' })).slug
  const kommunen = await p('Kommunen vedtar budsjett')
  const okonomi = await p('Ny økonomi for skolene')
  const aerlig = await p('Ærlig talt om IT')
  const arlig = await p('Arlig er ikke et ord')
  const apen = await p('Åpen kildekode i kommunen')
  const cafe = await p('Møte på kafé Sito')

  const urls = async (q: string) => (await search(app, q)).hits.map((h) => h.url.replace('/posts/', ''))
  assert.deepEqual((await urls('kommun')).sort(), [kommunen, apen].sort())
  assert.deepEqual(await urls('Økonomi'), [okonomi])
  assert.deepEqual(await urls('ØKONOMI'), [okonomi])
  assert.deepEqual(await urls('ærlig'), [aerlig])
  assert.deepEqual(await urls('arlig'), [arlig], '"arlig" does not find "ærlig"')
  assert.deepEqual(await urls('åpen'), [apen])
  assert.deepEqual(await urls('apen'), [], '"apen" does not find "åpen"')
  assert.deepEqual(await urls('okonomi'), [], '"okonomi" does not find "økonomi"')
  assert.deepEqual(await urls('kafe'), [cafe], 'é folds to e')
  assert.deepEqual(await urls('kafé'), [cafe])
})

test('quoted phrases match words next to each other; all words must match', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const together = await insertPost(app, { author: kari, title: 'Digital samhandling i helse', markdown: 'Om verktøy.' })
  const apart = await insertPost(app, { author: kari, title: 'Samhandling', markdown: 'Alt blir digital til slutt.' })
  const phrase = await search(app, '"digital samhandling"')
  assert.deepEqual(phrase.hits.map((h) => h.url), [`/posts/${together.slug}`])
  const words = await search(app, 'digital samhandling')
  assert.equal(words.hits.length, 2)
  // Title matches rank above body matches.
  assert.equal(words.hits[0]!.url, `/posts/${together.slug}`)
  assert.equal((await search(app, 'digital helse')).hits.length, 1)
  void apart
})

test('hostile query syntax never produces an error page', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await insertPost(app, { author: kari, title: 'Kommunen og NEAR-feltet', markdown: 'Tekst med "sitat" og (parentes).' })
  const c = await loggedIn(app, kari)
  const hostile = [
    '"', '""', '"kommune', 'kommune"', '*', 'kommune*', '-kommune', '(', ')', '(kommune', 'NEAR', 'NEAR(kommune',
    'kommune AND', 'AND', 'OR OR', 'NOT', 'kommune NOT', '^kommune', 'title:kommune', '{title}: x', '+', ':', '\\',
    "'; drop table posts; --", '%', '\u0000', 'a'.repeat(1500), '"""kommune"""', 'ko"mm"une', '🙂', 'NEAR/2',
  ]
  for (const q of hostile) {
    const res = await c.get(`/search?q=${encodeURIComponent(q)}`)
    assert.equal(res.statusCode, 200, `q=${JSON.stringify(q).slice(0, 40)} → ${res.statusCode}`)
  }
  const res = await c.get('/search?q=' + encodeURIComponent('NEAR(kommune'))
  assert.deepEqual(hitLinks(res.body).length, 1, 'the words of a hostile query are still searched')
  for (const q of ['type=bogus', 'page=-3', 'page=abc', 'page=99999', 'tag=%00']) {
    assert.equal((await c.get(`/search?q=kommune&${q}`)).statusCode, 200, q)
  }
})

test('a reader finds only what is published and visible, at once after a change', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const draft = await insertPost(app, { author: kari, title: 'Hemmelig plan for kantina', status: 'draft' })
  await insertPost(app, { author: kari, title: 'Kantina innleveres', status: 'submitted' })
  const published = await insertPost(app, { author: kari, title: 'Kantina åpner', markdown: 'Velkommen.' })
  const hiddenMicro = await insertMicro(app, { author: kari, body: 'Kantina har vafler', hidden: true })
  await insertMicro(app, { author: kari, body: 'Kantina har boller', deleted: true })
  const micro = await insertMicro(app, { author: kari, body: 'Kantina har suppe i dag' })
  await insertComment(app, { postId: draft.id, author: kari, markdown: 'Kantina-kommentar på et utkast' })
  await insertComment(app, { postId: published.id, author: kari, markdown: 'Kantina skjult', hidden: true })
  const comment = await insertComment(app, { postId: published.id, author: kari, markdown: 'Kantina er fin' })

  const first = await c.get('/search?q=kantina')
  assert.deepEqual(hitLinks(first.body).sort(), [`/micro/${micro}`, `/posts/${published.slug}`, `/posts/${published.slug}#comment-${comment}`].sort())
  assert.doesNotMatch(first.body, /Hemmelig|vafler|boller|utkast|skjult/)

  // Publishing the draft makes it (and its comment) findable at once; hiding removes at once.
  await setPostStatus(app, draft.id, 'published')
  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString() }).where('id', '=', micro).execute()
  await app.db.updateTable('comments').set({ deleted_at: new Date().toISOString() }).where('id', '=', comment).execute()
  const after = await search(app, 'kantina')
  assert.deepEqual(after.hits.map((h) => h.url).sort(), [`/posts/${draft.slug}`, `/posts/${published.slug}`, `/posts/${draft.slug}#comment-${(await app.db.selectFrom('comments').select('id').where('post_id', '=', draft.id).executeTakeFirstOrThrow()).id}`].sort())

  // Unpublishing a post takes its comments out too; a deleted post leaves nothing behind.
  await setPostStatus(app, draft.id, 'withdrawn')
  await app.db.deleteFrom('posts').where('id', '=', published.id).execute()
  assert.deepEqual((await search(app, 'kantina')).hits, [])
  void hiddenMicro
})

test('results are still hidden while a change waits in the index queue', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const post = await insertPost(app, { author: kari, title: 'Budsjettmøte i bystyret' })
  assert.equal((await search(app, 'budsjettmøte')).hits.length, 1)
  // Another process hides the post; nothing has re-indexed yet, the queue holds the change.
  await setPostStatus(app, post.id, 'withdrawn')
  const queued = await app.db.selectFrom('search_pending').select('doc').execute()
  assert.ok(queued.length > 0)
  const { listNewestDocs, rankDocs } = await import('../../src/search/queries.js')
  const match = '{title lead body tags} : ("budsjettmøte"*)'
  assert.deepEqual(await listNewestDocs(app.db, match, 'post', 10), [])
  assert.deepEqual(await rankDocs(app.db, match, 'post', 0, 10, 0), [])
})

test('tabs by kind, tag filter, counts and highlighted, escaped snippets', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { displayName: 'Kari Nordmann' })
  const c = await loggedIn(app, kari)
  const post = await insertPost(app, {
    author: kari, title: 'Skyløsninger i <script>kommunen</script>', tags: ['sky', 'økonomi'],
    markdown: 'Vi flytter **skyen** nærmere. <b>fet</b> & "sitat" om skyen og mer.',
  })
  const other = await insertPost(app, { author: kari, title: 'Skyen og skolen', tags: ['skole'] })
  const micro = await insertMicro(app, { author: kari, body: 'Skyen er grå <i>i dag</i>', tags: ['sky'] })
  const comment = await insertComment(app, { postId: post.id, author: kari, markdown: 'Enig om skyen!' })

  const all = await c.get('/search?q=sky')
  assert.equal(all.statusCode, 200)
  assert.equal(hitLinks(all.body).length, 4)
  assert.match(all.body, /aria-current="page">Alt <span class="count">\(4\)<\/span>/)
  assert.match(all.body, /Innlegg <span class="count">\(2\)<\/span>/)
  assert.match(all.body, /Oppdateringer <span class="count">\(1\)<\/span>/)
  assert.match(all.body, /Kommentarer <span class="count">\(1\)<\/span>/)
  // The title is escaped text with our <mark>; the post's own markup never becomes HTML.
  assert.match(all.body, /<mark>Skyløsninger<\/mark> i &lt;script&gt;kommunen&lt;\/script&gt;/)
  assert.match(all.body, /&lt;i&gt;i dag&lt;\/i&gt;/)
  assert.doesNotMatch(all.body, /<script>kommunen|<b>fet<\/b>|<i>i dag<\/i>/)
  assert.match(all.body, /Kommentar fra Kari Nordmann til «Skyløsninger i &lt;script&gt;kommunen&lt;\/script&gt;»/)

  const micros = await c.get('/search?q=sky&type=micro')
  assert.deepEqual(hitLinks(micros.body), [`/micro/${micro}`])
  assert.match(micros.body, /href="\/search\?q=sky&amp;type=micro" aria-current="page"/)

  const tagged = await c.get('/search?q=sky&tag=%C3%98konomi')
  assert.deepEqual(hitLinks(tagged.body).sort(), [`/posts/${post.slug}`, `/posts/${post.slug}#comment-${comment}`].sort())
  assert.match(tagged.body, /med stikkordet «økonomi»/)
  assert.match(tagged.body, /Fjern stikkordfilteret/)
  const skyTag = await c.get('/search?q=sky&tag=sky&type=micro')
  assert.deepEqual(hitLinks(skyTag.body), [`/micro/${micro}`])
  const unknown = await c.get('/search?q=sky&tag=finnes-ikke')
  assert.match(unknown.body, /Det finnes ikke noe stikkord som heter «finnes-ikke»/)
  assert.deepEqual(hitLinks(unknown.body), [])
  void other
})

test('pagination: pages of 20 with next and previous links', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  for (let i = 0; i < 25; i++) await insertPost(app, { author: kari, title: `Rapport nummer ${i}` })
  const overview = await c.get('/search?q=rapport')
  assert.equal(hitLinks(overview.body).length, 5, 'the overview shows the best five of a kind')
  assert.match(overview.body, /<a href="\/search\?q=rapport&amp;type=post">Se alle 25 innlegg<\/a>/)
  assert.doesNotMatch(overview.body, /rel="next"/)
  const one = await c.get('/search?q=rapport&type=post')
  assert.equal(hitLinks(one.body).length, 20)
  assert.match(one.body, /href="\/search\?q=rapport&amp;type=post&amp;page=2" rel="next"/)
  assert.doesNotMatch(one.body, /rel="prev"/)
  assert.match(one.body, /25 treff/)
  const two = await c.get('/search?q=rapport&type=post&page=2')
  assert.equal(hitLinks(two.body).length, 5)
  assert.match(two.body, /<ol class="search-results" start="21">/)
  assert.match(two.body, /rel="prev"/)
  assert.doesNotMatch(two.body, /rel="next"/)
  const seen = new Set([...hitLinks(one.body), ...hitLinks(two.body)])
  assert.equal(seen.size, 25, 'no result is on two pages')
})

test('empty query, no results and a query without words each get a helpful page', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  await insertPost(app, { author: kari, title: 'Noe helt annet' })
  const empty = await c.get('/search')
  assert.equal(empty.statusCode, 200)
  assert.match(empty.body, /<h1>Søk<\/h1>/)
  assert.match(empty.body, /Hva leter du etter\?/)
  assert.match(empty.body, /«kommun» finner «kommunen»/)
  const none = await c.get('/search?q=' + encodeURIComponent('"finnes ikke" her'))
  assert.match(none.body, /Ingen treff på «&quot;finnes ikke&quot; her»/)
  assert.match(none.body, /Sjekk stavemåten/)
  assert.match(none.body, /Bruk færre ord/)
  assert.match(none.body, /Fjern anførselstegnene/)
  const kind = await c.get('/search?q=annet&type=comment')
  assert.match(kind.body, /Ingen kommentarer med «annet»/)
  assert.match(kind.body, /Se 1 treff i alt/)
  const noWords = await c.get('/search?q=' + encodeURIComponent('*** ---'))
  assert.match(noWords.body, /ingen ord å lete etter/)
})

test('internal sites require login to search; public sites let anyone search published content', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await insertPost(app, { author: kari, title: 'Offentlig nyhet' })
  const anon = new Client(app)
  const closed = await anon.get('/search?q=nyhet')
  assert.equal(closed.statusCode, 303)
  assert.match(String(closed.headers.location), /^\/login/)
  await makePublic(app)
  const open = await anon.get('/search?q=nyhet')
  assert.equal(open.statusCode, 200)
  assert.equal(hitLinks(open.body).length, 1)
})

test('the OpenSearch description is linked from every page and describes /search', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const page = await c.get('/search')
  assert.match(page.body, /<link rel="search" type="application\/opensearchdescription\+xml" title="Betablogg" href="\/opensearch.xml">/)
  const res = await new Client(app).get('/opensearch.xml')
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /^application\/opensearchdescription\+xml/)
  const { parseXml } = await import('../feeds/xml.js')
  const doc = parseXml(res.body)
  assert.equal(doc.name, 'OpenSearchDescription')
  assert.equal(doc.child('ShortName')?.text, 'Betablogg')
  const url = doc.children.find((e) => e.name === 'Url' && e.attrs.type === 'text/html')
  assert.equal(url?.attrs.template, 'http://localhost:3000/search?q={searchTerms}')
})

test('very many matches: counted and ranked among the newest WINDOW, pages stop at 50', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const now = Date.now()
  const N = BM25_LIMIT + 50 // a common word: ranked by the cheap order
  const rows = Array.from({ length: N }, (_, i) => ({
    author_id: kari.id, body: `Lunsj nummer ${i}`, body_html: `<p>Lunsj nummer ${i}</p>`, created_at: new Date(now + i * 1000).toISOString(),
  }))
  for (let i = 0; i < rows.length; i += 500) await app.db.insertInto('micro_posts').values(rows.slice(i, i + 500)).execute()
  // Two older posts: one with the word in the title, one in the body only.
  const titled = await insertPost(app, { author: kari, title: 'Lunsj i kantina', markdown: 'Mat.' })
  const body = await insertPost(app, { author: kari, title: 'Fredag', markdown: 'Vi spiser lunsj sammen.' })
  await drainSearchQueue(app.db)
  const r = await searchSite(app.db, { q: 'lunsj', kind: 'micro', page: 1 })
  assert.equal(r.counts.micro, WINDOW)
  assert.ok(r.more.micro && r.more.all && !r.more.post)
  assert.equal(r.counts.post, 2)
  assert.equal(r.counts.all, WINDOW + 2)
  assert.ok(r.windowed)
  // Everything ranked comes from the newest WINDOW updates, whichever order ranks them.
  const { listNewestDocs, idOfDoc } = await import('../../src/search/queries.js')
  const newest = await listNewestDocs(app.db, '{title lead body tags} : ("lunsj"*)', 'micro', WINDOW)
  assert.deepEqual([idOfDoc(newest[0]!), idOfDoc(newest.at(-1)!)], [N, N - WINDOW + 1])
  const shown = new Set<string>()
  for (let page = 1; page <= 50; page++) for (const h of (await searchSite(app.db, { q: 'lunsj', kind: 'micro', page })).hits) shown.add(h.url)
  assert.equal(shown.size, WINDOW)
  assert.ok([...shown].every((u) => Number(u.split('/').pop()) > N - WINDOW))
  // Title matches first in the cheap order too.
  const posts = await searchSite(app.db, { q: 'lunsj', kind: 'post', page: 1 })
  assert.deepEqual(posts.hits.map((h) => h.url), [`/posts/${titled.slug}`, `/posts/${body.slug}`])
  // Equal scores: the newest first.
  const overview = await searchSite(app.db, { q: 'lunsj', page: 1 })
  const micro = overview.groups.find((g) => g.kind === 'micro')!.hits.map((h) => h.url)
  assert.deepEqual(micro, [0, 1, 2, 3, 4].map((i) => `/micro/${N - i}`))
  const c = await loggedIn(app, kari)
  const page = await c.get('/search?q=lunsj&type=micro')
  assert.match(page.body, /Over 1[\s\u00a0]000 treff/)
  assert.match(page.body, /Oppdateringer <span class="count">\(1[\s\u00a0]000\+\)<\/span>/)
  assert.match(page.body, /Alt <span class="count">\(1[\s\u00a0]002\+\)<\/span>/)
  assert.match(page.body, /Innlegg <span class="count">\(2\)<\/span>/)
  assert.match(page.body, /de 1[\s\u00a0]000 nyeste av hver sort er sortert etter hvor godt de passer/)
  const last = await c.get('/search?q=lunsj&type=micro&page=50')
  assert.equal(hitLinks(last.body).length, 20)
  assert.doesNotMatch(last.body, /rel="next"/)
  assert.match(last.body, /rel="prev"/)
  const all = await c.get('/search?q=lunsj')
  assert.equal(hitLinks(all.body).length, 7)
  assert.match(all.body, /Se flere enn 1[\s\u00a0]000 oppdateringer/)
})

test('two words: bm25 while each is rare; the cheap order once one is common across the kinds together', { skip: !!TEST_DATABASE_URL && 'the choice of order is SQLite\'s (PostgreSQL ranks with ts_rank)' }, async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  // bm25 puts the short post that says both words twice first; the cheap order (no title, tag or lead
  // matches) the newest.
  const dense = await insertPost(app, { author: kari, title: 'Fredag', markdown: 'Lunsj i kantine, lunsj i kantine.', publishedAt: new Date(Date.now() - 86_400_000) })
  const filler = Array.from({ length: 40 }, (_, i) => `ord${i}`).join(' ')
  const newer = await insertPost(app, { author: kari, title: 'Mandag', markdown: `${filler} lunsj ${filler} kantine ${filler}` })
  await drainSearchQueue(app.db)
  const order = async () => (await search(app, 'lunsj kantine', { kind: 'post' })).hits.map((h) => h.url)
  assert.deepEqual(await order(), [`/posts/${dense.slug}`, `/posts/${newer.slug}`])
  // «lunsj» in more than BM25_LIMIT documents only with the kinds together: fewer updates and
  // comments than that each.
  const now = Date.now()
  const micro = Math.ceil(BM25_LIMIT / 2) + 10
  const comments = BM25_LIMIT - micro + 10
  await app.db.insertInto('micro_posts').values(Array.from({ length: micro }, (_, i) => ({
    author_id: kari.id, body: `Lunsj ${i}`, body_html: `<p>Lunsj ${i}</p>`, created_at: new Date(now - i * 1000).toISOString(),
  }))).execute()
  await app.db.insertInto('comments').values(Array.from({ length: comments }, (_, i) => ({
    post_id: dense.id, author_id: kari.id, body_md: `Lunsj ${i}`, body_html: `<p>Lunsj ${i}</p>`, created_at: new Date(now - i * 1000).toISOString(),
  }))).execute()
  await drainSearchQueue(app.db)
  assert.ok(micro <= BM25_LIMIT && comments <= BM25_LIMIT && micro + comments + 2 > BM25_LIMIT)
  assert.deepEqual(await order(), [`/posts/${newer.slug}`, `/posts/${dense.slug}`])
  // The other word's place in the query does not matter.
  assert.deepEqual((await search(app, 'kantine lunsj', { kind: 'post' })).hits.map((h) => h.url), [`/posts/${newer.slug}`, `/posts/${dense.slug}`])
})

test('searches side by side while documents wait in the queue: each document indexed once, no error', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  for (let i = 0; i < 30; i++) await insertMicro(app, { author: kari, body: `Samtidig søk nummer ${i}` })
  // Every search first indexes what waits (PostgreSQL: on connections of its own, at the same time).
  const results = await Promise.all(Array.from({ length: 8 }, () => searchSite(app.db, { q: 'samtidig', page: 1, kind: 'micro' })))
  for (const r of results) assert.equal(r.counts.micro, 30)
  assert.equal((await app.db.selectFrom('search_pending').select('doc').execute()).length, 0)
})
