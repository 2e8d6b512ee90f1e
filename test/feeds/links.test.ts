import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { feedLinks } from '../../src/feeds/links.js'
import { makePublic } from './fixtures.js'

// A page of another feature, as it would use the helper: announce the feed, include the partial.
function addTagPage(app: FastifyInstance) {
  app.get('/test-tag-page', async (req, reply) => {
    const links = await feedLinks(req, reply, { kind: 'tag', tag: 'økonomi' })
    const visible = await reply.viewAsync('feeds/links', { feedLinks: links })
    return reply.viewAsync('search/index', { title: 'Tag', q: '', tag: '', searched: false, visible })
  })
  app.get('/test-partial', async (req, reply) => {
    const links = await feedLinks(req, reply, { kind: 'author', username: 'kari', name: 'Kari <Nordmann>' })
    return reply.viewAsync('feeds/links', { feedLinks: links })
  })
}

test('a page announces its feeds in <head> and shows visible links (public site: no key)', async (t) => {
  const app = await buildTestApp(t, {}, addTagPage)
  await makeUser(app)
  await makePublic(app)
  const page = await new Client(app).get('/test-tag-page')
  assert.equal(page.statusCode, 200)
  const head = page.body.slice(0, page.body.indexOf('</head>'))
  assert.match(head, /<link rel="alternate" type="application\/rss\+xml" title="Betablogg – innlegg og oppdateringer med stikkordet «økonomi» \(RSS\)" href="\/tags\/%C3%B8konomi\/feed.xml">/)
  assert.match(head, /<link rel="alternate" type="application\/atom\+xml" title="Betablogg – innlegg og oppdateringer med stikkordet «økonomi» \(Atom\)" href="\/tags\/%C3%B8konomi\/feed.atom">/)

  const partial = await new Client(app).get('/test-partial')
  assert.match(partial.body, /<p class="feed-links">/)
  assert.match(partial.body, /<a href="\/users\/kari\/feed.xml" type="application\/rss\+xml" aria-label="RSS-strøm: Betablogg – innlegg av Kari &lt;Nordmann&gt;">RSS<\/a>/)
  assert.match(partial.body, /<a href="\/users\/kari\/feed.atom" type="application\/atom\+xml"/)
})

test('on an internal site the links of a logged-in reader carry their key, and the key works', async (t) => {
  const app = await buildTestApp(t, {}, addTagPage)
  const kari = await makeUser(app, { username: 'kari' })
  const c = await loggedIn(app, kari)
  const page = await c.get('/test-tag-page')
  const m = /href="\/tags\/%C3%B8konomi\/feed.xml\?key=([A-Za-z0-9_-]+)"/.exec(page.body)
  assert.ok(m, 'the alternate link has the key')
  const partial = await c.get('/test-partial')
  assert.ok(partial.body.includes(`href="/users/kari/feed.atom?key=${m[1]}"`))
  assert.equal((await new Client(app).get(`/users/kari/feed.atom?key=${m[1]}`)).statusCode, 200)
})
