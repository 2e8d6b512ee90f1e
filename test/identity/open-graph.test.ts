// Issue 14, Open Graph: a post page is an article (published time, author's name, its cover at the
// stored size with width, height and alt); every other page is a website; the site's configured name;
// absolute addresses from BASE_URL.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { storeUpload } from '../../src/uploads/service.js'
import { solid } from '../uploads/fixtures.js'

const BASE = 'https://blogg.example.test'

/** Every Open Graph and article: property of a page, in order, as [property, content]. */
function openGraph(html: string): [string, string][] {
  const head = html.slice(0, html.indexOf('</head>'))
  return [...head.matchAll(/<meta property="((?:og|article):[\w:]+)" content="([^"]*)">/g)].map((m) => [m[1]!, m[2]!])
}
const one = (tags: [string, string][], property: string) => {
  const found = tags.filter(([p]) => p === property)
  assert.equal(found.length, 1, `exactly one ${property}: ${JSON.stringify(tags)}`)
  return found[0]![1]
}
const none = (tags: [string, string][], prefix: string) => assert.deepEqual(tags.filter(([p]) => p.startsWith(prefix)), [], prefix)

test('a post page is an article: published time, the author\'s name, its cover at the stored size with alt; absolute from BASE_URL', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public', BASE_URL: BASE })
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app, { displayName: 'Kari Nordmann' })
  const image = await storeUpload(app.db, app.config.uploadsDir, asCurrent(author), { data: await solid(1600, 900).jpeg().toBuffer(), truncated: false }, { alt: 'Et rødt bilde & mer' })
  const when = new Date(Date.UTC(2026, 10, 3, 9, 30))
  const id = await publishedPost(app, author, editor, { title: 'Skyen «i praksis»', lead: 'Hvordan vi flyttet alt.', cover: image }, when)
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()
  const stored = await app.db.selectFrom('uploads').selectAll().where('id', '=', image).executeTakeFirstOrThrow()

  const res = await app.inject({ url: `/posts/${slug}` }) // an anonymous reader of the public site
  assert.equal(res.statusCode, 200)
  const og = openGraph(res.body)
  assert.equal(one(og, 'og:type'), 'article')
  assert.equal(one(og, 'og:site_name'), 'Betablogg')
  assert.equal(one(og, 'og:title'), 'Skyen «i praksis»')
  assert.equal(one(og, 'og:description'), 'Hvordan vi flyttet alt.', 'the post\'s own summary, not the tagline')
  assert.equal(one(og, 'og:url'), `${BASE}/posts/${slug}`)
  assert.equal(one(og, 'article:published_time'), when.toISOString())
  assert.equal(one(og, 'article:author'), 'Kari Nordmann')
  assert.equal(one(og, 'og:image'), `${BASE}/uploads/${stored.path}`, 'the stored size, not a thumbnail')
  assert.equal(one(og, 'og:image:width'), String(stored.width))
  assert.equal(one(og, 'og:image:height'), String(stored.height))
  assert.equal(one(og, 'og:image:alt'), 'Et rødt bilde &amp; mer')
  assert.equal((await app.inject({ url: `/uploads/${stored.path}` })).statusCode, 200, 'the address serves the picture')

  // No cover: no picture (the site has no logo); the summary comes from the text.
  const plain = await publishedPost(app, author, editor, { title: 'Uten bilde', body: 'Første avsnitt om skyen.\n\nAndre avsnitt.' }, when)
  const plainSlug = (await app.db.selectFrom('posts').select('slug').where('id', '=', plain).executeTakeFirstOrThrow()).slug
  const og2 = openGraph((await app.inject({ url: `/posts/${plainSlug}` })).body)
  assert.equal(one(og2, 'og:type'), 'article')
  assert.match(one(og2, 'og:description'), /^Første avsnitt om skyen/)
  none(og2, 'og:image')

  // Other pages are websites, with no article properties.
  for (const path of ['/', '/tags', '/micro', `/users/${author.username}`]) {
    const page = await app.inject({ url: path })
    assert.equal(page.statusCode, 200, path)
    const tags = openGraph(page.body)
    assert.equal(one(tags, 'og:type'), 'website', path)
    assert.equal(one(tags, 'og:url'), BASE + path, path)
    none(tags, 'article:')
  }
})

test('og:site_name is the configured name; the logo is the picture of pages without their own, with its size', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public', BASE_URL: BASE })
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app, { displayName: 'Per Hansen' })
  const id = await publishedPost(app, author, editor, { title: 'Et innlegg' })
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()
  await app.settings.update({ siteName: 'Kommunebloggen', siteLogo: { path: '2026/11/' + 'a'.repeat(32) + '.png', width: 300, height: 128 } }, null)

  const front = openGraph((await app.inject({ url: '/' })).body)
  assert.equal(one(front, 'og:site_name'), 'Kommunebloggen')
  assert.equal(one(front, 'og:title'), 'Kommunebloggen')
  assert.equal(one(front, 'og:image'), `${BASE}/site-logo/2026/11/${'a'.repeat(32)}.png`)
  assert.equal(one(front, 'og:image:width'), '300')
  assert.equal(one(front, 'og:image:height'), '128')
  assert.equal(one(front, 'og:image:alt'), 'Kommunebloggen')
  const post = openGraph((await app.inject({ url: `/posts/${slug}`, headers: { 'accept-language': 'en' } })).body)
  assert.equal(one(post, 'og:site_name'), 'Kommunebloggen')
  assert.equal(one(post, 'og:type'), 'article')
  assert.equal(one(post, 'article:author'), 'Per Hansen')
  assert.match(one(post, 'og:image'), /\/site-logo\//, 'a post without a cover shows the logo')
})
