// Every feed stays well-formed and carries text as text, whatever people type: hostile text (several
// CDATA terminators, markup, entities, control characters) in every field that reaches a feed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { feedKeyFor } from '../../src/feeds/keys.js'
import { insertComment, insertMicro, insertPost } from './fixtures.js'
import { parseXml, type XmlElement } from './xml.js'

/** Hostile text; no white space, so leads and titles keep it whole. */
const H = 'A]]>B]]>C<link>https://evil.example/</link>&amp;<b>fet</b><![CDATA[x]]>\u0001\u0008\u000b\u007f\u0085\ufffe"\'Z'
/** What a reader must see: the same text without what XML cannot carry. */
const SEEN = H.replace(/[\u0001\u0008\u000b\u007f\u0085\ufffe]/g, '')
const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

// Every element a feed may contain: an injected element shows up as a name outside this list.
const RSS_NAMES = new Set(['rss', 'channel', 'title', 'link', 'description', 'lastBuildDate', 'docs', 'generator', 'language', 'ttl',
  'atom:link', 'item', 'guid', 'pubDate', 'content:encoded', 'dc:creator', 'category'])
const ATOM_NAMES = new Set(['feed', 'id', 'title', 'updated', 'generator', 'link', 'subtitle', 'entry', 'summary', 'content', 'author',
  'name', 'uri', 'category', 'published'])

function names(el: XmlElement, out: string[] = []): string[] {
  out.push(el.name)
  for (const c of el.children) names(c, out)
  return out
}

/** Parses strictly (throws when not well-formed), checks the element names; returns the item titles as a reader shows them. */
function readFeed(xml: string, url: string): { root: XmlElement; titles: string[]; creators: string[] } {
  const root = parseXml(xml)
  const allowed = root.name === 'rss' ? RSS_NAMES : ATOM_NAMES
  for (const n of names(root)) assert.ok(allowed.has(n), `${url}: unexpected element <${n}>`)
  if (root.name === 'rss') {
    const items = root.child('channel')!.all('item')
    for (const i of items) assert.equal(i.all('link').length, 1, `${url}: one <link> per item`)
    return { root, titles: items.map((i) => unescapeHtml(i.child('title')!.text)), creators: items.map((i) => i.child('dc:creator')!.text) }
  }
  const entries = root.all('entry')
  for (const e of entries) assert.equal(e.all('link').length, 1, `${url}: one <link> per entry`)
  return { root, titles: entries.map((e) => unescapeHtml(e.child('title')!.text)), creators: entries.map((e) => e.child('author')!.child('name')!.text) }
}

test('hostile text in every field stays text in every feed kind, keyed and in RSS and Atom', async (t) => {
  const app = await buildTestApp(t) // internal: every feed read with a personal key
  const kari = await makeUser(app, { username: 'kari', role: 'editor' })
  const ola = await makeUser(app, { username: 'ola' })
  await app.db.updateTable('users').set({ display_name: H }).execute()
  const post = await insertPost(app, {
    author: kari, title: H, lead: H, tags: ['fiendtlig'], slug: 'fiendtlig',
    markdown: `${H}\n\n    ${H}\n\n\`${H}\``,
  })
  // A tag name that did not come through the tag rules (an old import, a direct edit).
  const { id: tagId } = await app.db.insertInto('tags').values({ name: H }).returning('id').executeTakeFirstOrThrow()
  await app.db.insertInto('post_tags').values({ post_id: post.id, tag_id: tagId, published_at: new Date().toISOString() }).execute()
  await insertPost(app, { author: kari, title: H, lead: H, status: 'submitted', submittedAt: new Date().toISOString() })
  await insertMicro(app, { author: ola, body: H, tags: ['fiendtlig'] })
  await insertComment(app, { postId: post.id, author: ola, markdown: H })
  await insertComment(app, { postId: post.id, authorName: H, markdown: `> ${H}` })

  const key = await feedKeyFor(app.db, app.config.sessionSecret, kari.id)
  const reader = new Client(app)
  const feeds = ['/feed', '/tags/fiendtlig/feed', '/users/kari/feed', '/users/ola/updates/feed', '/micro/feed', '/posts/fiendtlig/comments/feed', '/editorial/feed']
  for (const base of feeds) {
    for (const ext of ['xml', 'atom']) {
      const url = `${base}.${ext}`
      const res = await reader.get(`${url}?key=${key}`)
      assert.equal(res.statusCode, 200, url)
      const { root, titles, creators } = readFeed(res.body, url)
      assert.ok(titles.length > 0, `${url}: has items`)
      // (a microblog title is a lead of the text: white space in it is collapsed)
      for (const title of titles) assert.ok(title.replace(/\s/g, '').includes(SEEN), `${url}: the title shows the text as typed: ${JSON.stringify(title)}`)
      for (const creator of creators) assert.equal(creator, SEEN, `${url}: the author's name as written`)
      if (base !== '/feed' && base !== '/micro/feed' && base !== '/editorial/feed' && base !== '/tags/fiendtlig/feed') {
        const channelTitle = (root.name === 'rss' ? root.child('channel')! : root).child('title')!.text
        assert.ok(channelTitle.includes(SEEN), `${url}: the feed's own title holds the name or title as text`)
      }
    }
  }

  // The tag that did not come through the rules is a category, as text.
  const site = parseXml((await reader.get(`/feed.atom?key=${key}`)).body)
  assert.ok(site.all('entry')[0]!.all('category').some((c) => c.attrs.term === SEEN))
  const rss = parseXml((await reader.get(`/feed.xml?key=${key}`)).body).child('channel')!.all('item')[0]!
  assert.ok(rss.all('category').some((c) => c.text === SEEN))
  // The body's text arrives as HTML that shows it (escaped), not as markup.
  const content = rss.child('content:encoded')!.text
  assert.doesNotMatch(content, /<link>|<b>|\]\]>/)
  assert.ok(content.includes('&lt;link&gt;'))
  assert.ok(unescapeHtml(rss.child('description')!.text).includes(SEEN), 'the summary as text')

  // The personal subscription list too.
  const opml = await (await loggedIn(app, kari)).get('/settings/feeds/betablogg.opml')
  assert.equal(opml.statusCode, 200)
  const doc = parseXml(opml.body)
  assert.ok(doc.child('head')!.child('title')!.text.includes(SEEN))
})

test('a comments feed whose only comment sanitizes to nothing still declares dc: and parses', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari' })
  const post = await insertPost(app, { author: kari, title: 'Tomt', slug: 'tomt' })
  const id = await insertComment(app, { postId: post.id, author: kari, markdown: '<script>alert(1)</script>' })
  assert.equal((await app.db.selectFrom('comments').select('body_html').where('id', '=', id).executeTakeFirstOrThrow()).body_html.trim(), '')
  const key = await feedKeyFor(app.db, app.config.sessionSecret, kari.id)
  const res = await new Client(app).get(`/posts/tomt/comments/feed.xml?key=${key}`)
  assert.equal(res.statusCode, 200)
  const item = parseXml(res.body).child('channel')!.child('item')!
  assert.equal(item.child('dc:creator')?.uri, 'http://purl.org/dc/elements/1.1/')
  assert.equal(item.child('dc:creator')?.text, 'Kari')
})

test('an empty feed dates itself from when its subject began, never 1970', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', role: 'editor' })
  const started = '2023-04-05T06:07:08.000Z'
  await app.db.updateTable('users').set({ created_at: started }).execute()
  const post = await insertPost(app, { author: kari, title: 'Uten kommentarer', slug: 'uten', publishedAt: '2024-01-02T03:04:05Z' })
  await app.db.insertInto('tags').values({ name: 'tom' }).execute()
  const key = await feedKeyFor(app.db, app.config.sessionSecret, kari.id)
  const reader = new Client(app)
  const dates = async (url: string) => {
    const atom = parseXml((await reader.get(`${url}.atom?key=${key}`)).body)
    const rss = parseXml((await reader.get(`${url}.xml?key=${key}`)).body).child('channel')!
    assert.equal(atom.all('entry').length, 0, url)
    return [atom.child('updated')!.text, new Date(rss.child('lastBuildDate')!.text).toISOString()]
  }
  assert.deepEqual(await dates('/posts/uten/comments/feed'), ['2024-01-02T03:04:05.000Z', '2024-01-02T03:04:05.000Z'])
  for (const url of ['/micro/feed', '/editorial/feed', '/tags/tom/feed', '/users/kari/updates/feed']) {
    assert.deepEqual(await dates(url), [started, started], url)
  }
  assert.ok(post.id)
})

test("a tag's feed holds the microblog updates its tag page shows, with its posts, newest first", async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari' })
  await insertPost(app, { author: kari, title: 'Innlegg om sky', tags: ['sky'], publishedAt: '2024-01-01T10:00:00Z' })
  const micro = await insertMicro(app, { author: kari, body: 'Oppdatering om sky', tags: ['sky'], createdAt: '2024-01-02T10:00:00Z' })
  await insertMicro(app, { author: kari, body: 'Skjult om sky', tags: ['sky'], hidden: true })
  await insertMicro(app, { author: kari, body: 'Uten stikkord' })
  const c = await loggedIn(app, kari)
  const page = await c.get('/tags/sky')
  assert.match(page.body, /Oppdatering om sky/)
  const atom = parseXml((await c.get('/tags/sky/feed.atom')).body)
  assert.match(atom.child('title')!.text, /oppdateringer/)
  assert.deepEqual(atom.all('entry').map((e) => e.child('title')?.text), ['Oppdatering om sky', 'Innlegg om sky'])
  assert.equal(atom.all('entry')[0]!.child('link')?.attrs.href, `http://localhost:3000/micro/${micro}`)
  const rss = parseXml((await c.get('/tags/sky/feed.xml')).body).child('channel')!.all('item')
  assert.deepEqual(rss.map((i) => i.child('title')?.text), ['Oppdatering om sky', 'Innlegg om sky'])
})

test('a keyed feed names itself with its key (rel="self"); the same feed without a key does not', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', role: 'editor' })
  await insertPost(app, { author: kari, title: 'Internt' })
  const key = await feedKeyFor(app.db, app.config.sessionSecret, kari.id)
  const reader = new Client(app)
  const selfOf = (xml: string) => {
    const root = parseXml(xml)
    const links = root.name === 'rss' ? root.child('channel')!.all('atom:link') : root.all('link')
    return links.find((l) => l.attrs.rel === 'self')?.attrs.href
  }
  for (const path of ['/feed.xml', '/feed.atom', '/editorial/feed.xml', '/editorial/feed.atom', '/users/kari/feed.atom']) {
    const res = await reader.get(`${path}?key=${key}`)
    assert.equal(res.statusCode, 200, path)
    const self = selfOf(res.body)
    assert.equal(self, `http://localhost:3000${path}?key=${key}`, path)
    assert.equal((await reader.get(new URL(self!).pathname + new URL(self!).search)).statusCode, 200, `${path}: the self link works`)
    assert.equal(res.body.split(key).length, 2, `${path}: the key is in the self link only`)
  }
  const session = await loggedIn(app, kari)
  const own = await session.get('/feed.xml')
  assert.equal(selfOf(own.body), 'http://localhost:3000/feed.xml')
  const keyed = await reader.get(`/feed.xml?key=${key}`)
  assert.notEqual(keyed.headers.etag, own.headers.etag, 'the two bodies differ, so do their validators')
  assert.equal((await reader.get(`/feed.xml?key=${key}`, { 'if-none-match': String(keyed.headers.etag) })).statusCode, 304)
})

test('microblog RSS: a text that looks like HTML is never raw HTML in <title>; items carry a <description>', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  await insertMicro(app, { author: kari, body: '<img src=x onerror=alert(1)> & <b>fet</b>' })
  const c = await loggedIn(app, kari)
  for (const url of ['/micro/feed.xml', '/users/kari/updates/feed.xml']) {
    const item = parseXml((await c.get(url)).body).child('channel')!.child('item')!
    assert.equal(item.child('title')?.text, '&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;fet&lt;/b&gt;', url)
    assert.match(item.child('description')?.text ?? '', /^<p>&lt;img src=x onerror=alert\(1\)&gt; &amp; &lt;b&gt;fet&lt;\/b&gt;<\/p>$/, url)
  }
})
