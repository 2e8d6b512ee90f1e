import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertComment, insertMicro, insertPost, makePublic } from './fixtures.js'
import { parseXml, type XmlElement } from './xml.js'

const BASE = 'http://localhost:3000'
const ATOM = 'http://www.w3.org/2005/Atom'

function atomEntries(xml: string): XmlElement[] {
  const feed = parseXml(xml)
  assert.equal(feed.local, 'feed')
  assert.equal(feed.uri, ATOM)
  return feed.all('entry')
}

function rssItems(xml: string): XmlElement[] {
  const rss = parseXml(xml)
  assert.equal(rss.name, 'rss')
  assert.equal(rss.attrs.version, '2.0')
  return rss.child('channel')!.all('item')
}

async function site(t: import('node:test').TestContext) {
  const app = await buildTestApp(t)
  await makePublic(app)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  return { app, kari, c: new Client(app) }
}

test('the site feed: published posts only, newest first, every field a reader needs (Atom)', async (t) => {
  const { app, kari, c } = await site(t)
  const old = await insertPost(app, { author: kari, title: 'Gammelt innlegg', publishedAt: '2024-01-02T10:00:00Z' })
  const post = await insertPost(app, {
    author: kari, title: 'Skyen & <kommunen>', lead: 'Kort ingress om skyen.', tags: ['sky', 'økonomi'],
    markdown: '## Bakgrunn\n\nLes [mer](/posts/annet) eller [her](#bakgrunn) eller [ute](https://example.org/x?a=1&b=2).\n\n![Kart](/uploads/2024/kart.png)',
    publishedAt: '2024-03-01T08:00:00Z', updatedAt: '2024-03-05T09:30:00Z',
  })
  await insertPost(app, { author: kari, title: 'Utkast', status: 'draft' })
  await insertPost(app, { author: kari, title: 'Til vurdering', status: 'submitted', submittedAt: '2024-03-02T08:00:00Z' })

  const res = await c.get('/feed.atom')
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8')
  const feed = parseXml(res.body)
  assert.equal(feed.child('id')?.text, `${BASE}/feed.atom`)
  assert.equal(feed.child('title')?.text, 'Betablogg – alle innlegg')
  assert.equal(feed.all('link').find((l) => l.attrs.rel === 'self')?.attrs.href, `${BASE}/feed.atom`)
  assert.equal(feed.all('link').find((l) => l.attrs.rel === 'alternate')?.attrs.href, `${BASE}/`)
  assert.equal(feed.child('updated')?.text, '2024-03-05T09:30:00.000Z', 'the feed is as new as its newest entry')

  const entries = feed.all('entry')
  assert.deepEqual(entries.map((e) => e.child('id')?.text), [`tag:localhost,2025:post/${post.id}`, `tag:localhost,2025:post/${old.id}`])
  const e = entries[0]!
  // type="html": the XML text is HTML-escaped text, so a reader shows the title exactly as written.
  assert.equal(e.child('title')?.attrs.type, 'html')
  assert.equal(e.child('title')?.text, 'Skyen &amp; &lt;kommunen&gt;')
  assert.equal(e.child('link')?.attrs.href, `${BASE}/posts/${post.slug}`)
  assert.equal(e.child('author')?.child('name')?.text, 'Kari Nordmann')
  assert.equal(e.child('author')?.child('uri')?.text, `${BASE}/users/kari`)
  assert.equal(e.child('published')?.text, '2024-03-01T08:00:00.000Z')
  assert.equal(e.child('updated')?.text, '2024-03-05T09:30:00.000Z')
  assert.equal(e.child('summary')?.text, 'Kort ingress om skyen.')
  assert.deepEqual(e.all('category').map((x) => x.attrs.term), ['sky', 'økonomi'])
  const content = e.child('content')!
  assert.equal(content.attrs.type, 'html')
  assert.match(content.text, /<h2 id="bakgrunn">Bakgrunn<\/h2>/)
  assert.match(content.text, new RegExp(`href="${BASE}/posts/annet"`))
  assert.match(content.text, new RegExp(`href="${BASE}/posts/${post.slug}#bakgrunn"`))
  assert.match(content.text, /href="https:\/\/example.org\/x\?a=1&amp;b=2"/)
  assert.match(content.text, new RegExp(`<img src="${BASE}/uploads/2024/kart.png"`))
  assert.doesNotMatch(content.text, /(href|src)="\//, 'no relative URLs are left')
})

test('the same entries as RSS 2.0, with guid, dc:creator, categories and content:encoded', async (t) => {
  const { app, kari, c } = await site(t)
  const post = await insertPost(app, { author: kari, title: 'RSS & venner', lead: 'Ingressen', tags: ['rss'], publishedAt: '2024-05-06T07:08:09Z' })
  const res = await c.get('/feed.xml')
  assert.equal(res.headers['content-type'], 'application/rss+xml; charset=utf-8')
  const channel = parseXml(res.body).child('channel')!
  assert.equal(channel.child('link')?.text, `${BASE}/`)
  assert.equal(channel.child('atom:link')?.attrs.href, `${BASE}/feed.xml`)
  const [item] = rssItems(res.body)
  // Readers treat an RSS title as HTML: it is escaped once, so they show it as written.
  assert.equal(item!.child('title')?.text, 'RSS &amp; venner')
  assert.equal(item!.child('link')?.text, `${BASE}/posts/${post.slug}`)
  assert.equal(item!.child('guid')?.text, `tag:localhost,2025:post/${post.id}`)
  assert.equal(item!.child('guid')?.attrs.isPermaLink, 'false')
  assert.equal(item!.child('pubDate')?.text, 'Mon, 06 May 2024 07:08:09 GMT')
  assert.equal(item!.child('description')?.text, 'Ingressen')
  assert.equal(item!.child('dc:creator')?.text, 'Kari Nordmann')
  assert.equal(item!.child('dc:creator')?.uri, 'http://purl.org/dc/elements/1.1/')
  assert.equal(item!.child('content:encoded')?.uri, 'http://purl.org/rss/1.0/modules/content/')
  assert.deepEqual(item!.all('category').map((x) => x.text), ['rss'])
})

test('an entry keeps its id when the post is edited and its slug changes', async (t) => {
  const { app, kari, c } = await site(t)
  const post = await insertPost(app, { author: kari, title: 'Første tittel' })
  const before = atomEntries((await c.get('/feed.atom')).body)[0]!
  await app.db.updateTable('posts').set({ title: 'Ny tittel', slug: 'ny-tittel', updated_at: new Date(Date.now() + 1000).toISOString() }).where('id', '=', post.id).execute()
  const { bumpContentGeneration } = await import('../../src/web/page-cache.js')
  bumpContentGeneration()
  const after = atomEntries((await c.get('/feed.atom')).body)[0]!
  assert.equal(after.child('id')?.text, before.child('id')?.text)
  assert.equal(after.child('title')?.text, 'Ny tittel')
  assert.equal(after.child('link')?.attrs.href, `${BASE}/posts/ny-tittel`)
  assert.notEqual(after.child('updated')?.text, before.child('updated')?.text)
})

test('tag, author, microblog, updates and comment feeds hold exactly what is visible', async (t) => {
  const { app, kari, c } = await site(t)
  const ola = await makeUser(app, { username: 'ola', displayName: 'Ola' })
  const sky = await insertPost(app, { author: kari, title: 'Sky', tags: ['sky'] })
  await insertPost(app, { author: ola, title: 'Olas sky', tags: ['sky'] })
  await insertPost(app, { author: kari, title: 'Sky-utkast', tags: ['sky'], status: 'draft' })
  const m1 = await insertMicro(app, { author: kari, body: 'Første oppdatering med en ganske lang tekst som fortsetter og fortsetter lenge nok til å bli kuttet i tittelen', tags: ['sky'] })
  await insertMicro(app, { author: kari, body: 'Skjult', hidden: true })
  await insertMicro(app, { author: kari, body: 'Slettet', deleted: true })
  const m2 = await insertMicro(app, { author: ola, body: 'Olas oppdatering' })
  const c1 = await insertComment(app, { postId: sky.id, author: ola, markdown: 'Bra *skrevet*' })
  await insertComment(app, { postId: sky.id, author: ola, markdown: 'Skjult kommentar', hidden: true })
  const c2 = await insertComment(app, { postId: sky.id, authorName: 'Importert Leser', markdown: 'Fra WordPress' })

  const titles = async (url: string) => atomEntries((await c.get(url)).body).map((e) => e.child('title')?.text)
  const tagged = await titles('/tags/sky/feed.atom')
  assert.deepEqual(tagged.filter((x) => !x?.startsWith('Første oppdatering')).sort(), ['Olas sky', 'Sky'])
  assert.equal(tagged.length, 3, 'and the tagged update, as on the tag page')
  assert.deepEqual(await titles('/users/kari/feed.atom'), ['Sky'])
  assert.deepEqual(await titles('/users/ola/feed.atom'), ['Olas sky'])

  const micro = atomEntries((await c.get('/micro/feed.atom')).body)
  assert.deepEqual(micro.map((e) => e.child('id')?.text).sort(), [`tag:localhost,2025:micro/${m1}`, `tag:localhost,2025:micro/${m2}`].sort())
  const long = micro.find((e) => e.child('id')?.text?.endsWith(`/${m1}`))!
  assert.ok(long.child('title')!.text.length <= 80 && long.child('title')!.text.endsWith('…'))
  assert.equal(long.child('link')?.attrs.href, `${BASE}/micro/${m1}`)
  assert.deepEqual(long.all('category').map((x) => x.attrs.term), ['sky'])
  assert.deepEqual(atomEntries((await c.get('/users/ola/updates/feed.atom')).body).map((e) => e.child('id')?.text), [`tag:localhost,2025:micro/${m2}`])

  const comments = atomEntries((await c.get(`/posts/${sky.slug}/comments/feed.atom`)).body)
  assert.deepEqual(comments.map((e) => e.child('id')?.text), [`tag:localhost,2025:comment/${c2}`, `tag:localhost,2025:comment/${c1}`])
  assert.equal(comments[0]!.child('author')?.child('name')?.text, 'Importert Leser')
  assert.equal(comments[1]!.child('link')?.attrs.href, `${BASE}/posts/${sky.slug}#comment-${c1}`)
  assert.match(comments[1]!.child('content')!.text, /<em>skrevet<\/em>/)

  // RSS variants parse too.
  for (const url of ['/tags/sky/feed.xml', '/users/kari/feed.xml', '/micro/feed.xml', '/users/ola/updates/feed.xml', `/posts/${sky.slug}/comments/feed.xml`]) {
    const res = await c.get(url)
    assert.equal(res.statusCode, 200, url)
    assert.ok(rssItems(res.body).length > 0, url)
  }
})

test('feeds of things that do not exist are 404; an old slug or tag spelling redirects', async (t) => {
  const { app, kari, c } = await site(t)
  const post = await insertPost(app, { author: kari, title: 'Flyttet', slug: 'nytt-navn', tags: ['økonomi'] })
  await app.db.insertInto('post_slugs').values({ slug: 'gammelt-navn', post_id: post.id }).execute()
  const draft = await insertPost(app, { author: kari, title: 'Utkast', status: 'draft' })
  for (const url of ['/tags/finnes-ikke/feed.xml', '/users/ingen/feed.atom', '/users/ingen/updates/feed.xml', '/posts/ingen/comments/feed.atom', `/posts/${draft.slug}/comments/feed.xml`]) {
    assert.equal((await c.get(url)).statusCode, 404, url)
  }
  const moved = await c.get('/posts/gammelt-navn/comments/feed.atom')
  assert.equal(moved.statusCode, 301)
  assert.equal(moved.headers.location, '/posts/nytt-navn/comments/feed.atom')
  const upper = await c.get('/tags/%C3%98konomi/feed.xml')
  assert.equal(upper.statusCode, 301)
  assert.equal(upper.headers.location, '/tags/%C3%B8konomi/feed.xml')
})

test('characters XML cannot hold are dropped instead of breaking the feed', async (t) => {
  const { app, kari, c } = await site(t)
  await insertPost(app, { author: kari, title: 'Kontroll\u0001tegn\u000b og ]]> slutt', bodyHtml: '<p>Tekst med \u0008 og ]]&gt; og \ud800 ensom</p>' })
  for (const url of ['/feed.atom', '/feed.xml']) {
    const res = await c.get(url)
    const xml = parseXml(res.body) // throws when not well-formed
    assert.ok(xml)
    assert.match(res.body, /Kontrolltegn og/)
  }
  const [entry] = atomEntries((await c.get('/feed.atom')).body)
  assert.equal(entry!.child('title')?.text, 'Kontrolltegn og ]]&gt; slutt')
})

test('conditional GET: ETag and Last-Modified give 304, a change gives a new ETag', async (t) => {
  const { app, kari, c } = await site(t)
  await insertPost(app, { author: kari, title: 'Først', publishedAt: '2024-02-01T12:00:00Z' })
  const first = await c.get('/feed.xml')
  const etag = String(first.headers.etag)
  const lastModified = String(first.headers['last-modified'])
  assert.match(etag, /^(W\/)?"[\w-]+"$/)
  assert.equal(lastModified, 'Thu, 01 Feb 2024 12:00:00 GMT')
  assert.equal(first.headers['cache-control'], 'public, max-age=300')

  const again = await c.get('/feed.xml', { 'if-none-match': etag })
  assert.equal(again.statusCode, 304)
  assert.equal(again.body, '')
  assert.equal(again.headers.etag, etag)
  assert.equal((await c.get('/feed.xml', { 'if-modified-since': lastModified })).statusCode, 304)
  assert.equal((await c.get('/feed.xml', { 'if-modified-since': 'Wed, 31 Jan 2024 12:00:00 GMT' })).statusCode, 200)
  assert.equal((await c.get('/feed.xml', { 'if-none-match': '"something-else"', 'if-modified-since': lastModified })).statusCode, 200,
    'If-None-Match wins over If-Modified-Since')

  await insertPost(app, { author: kari, title: 'Nytt', publishedAt: '2024-02-02T12:00:00Z' })
  const { bumpContentGeneration } = await import('../../src/web/page-cache.js')
  bumpContentGeneration()
  const changed = await c.get('/feed.xml', { 'if-none-match': etag })
  assert.equal(changed.statusCode, 200)
  assert.notEqual(changed.headers.etag, etag)
  assert.equal(rssItems(changed.body).length, 2)
})
