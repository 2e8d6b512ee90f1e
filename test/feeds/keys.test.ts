import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { setActive } from '../../src/users/service.js'
import { insertPost, makePublic } from './fixtures.js'
import { parseXml } from './xml.js'

/** The feed key in the site-feed URL on the person's /settings/feeds page. */
async function keyFromSettings(c: Client): Promise<string> {
  const page = await c.get('/settings/feeds')
  assert.equal(page.statusCode, 200)
  const m = /value="http:\/\/localhost:3000\/feed\.xml\?key=([A-Za-z0-9_-]+)"/.exec(page.body)
  assert.ok(m, 'the settings page shows the site feed with the key')
  assert.doesNotMatch(page.body, /undefined/, 'its own list of feeds does not replace the head\'s alternate links')
  return m[1]!
}

test('internal site: a feed needs a valid key (or a session); wrong keys get a 404 that says nothing', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  await insertPost(app, { author: kari, title: 'Internt innlegg' })
  const reader = new Client(app) // a feed reader: no cookies, ever
  const noKey = await reader.get('/feed.xml')
  assert.equal(noKey.statusCode, 404)
  assert.doesNotMatch(noKey.body, /Internt innlegg/)
  const wrong = await reader.get('/feed.xml?key=' + 'A'.repeat(43))
  assert.equal(wrong.statusCode, 404)
  assert.equal(wrong.body, noKey.body, 'a wrong key and no key look the same')
  assert.equal((await reader.get('/feed.xml?key=')).statusCode, 404)

  const key = await keyFromSettings(await loggedIn(app, kari))
  const ok = await reader.get(`/feed.xml?key=${key}`)
  assert.equal(ok.statusCode, 200)
  assert.equal(ok.headers['cache-control'], 'private, max-age=300')
  assert.equal(parseXml(ok.body).child('channel')?.child('item')?.child('title')?.text, 'Internt innlegg')
  // The key appears only in the feed's own address (rel="self"); readers share one rendering.
  assert.equal(ok.body.split(key).length, 2)
  assert.equal(parseXml(ok.body).child('channel')?.child('atom:link')?.attrs.href, `http://localhost:3000/feed.xml?key=${key}`)
  for (const url of ['/feed.atom', '/micro/feed.xml', '/users/kari/feed.atom', '/users/kari/updates/feed.xml']) {
    assert.equal((await reader.get(`${url}?key=${key}`)).statusCode, 200, url)
  }
  // 304 on a keyed, private feed.
  const notModified = await reader.get(`/feed.xml?key=${key}`, { 'if-none-match': String(ok.headers.etag) })
  assert.equal(notModified.statusCode, 304)
  // The key opens feeds only, not pages.
  const page = await reader.get(`/search?q=internt&key=${key}`)
  assert.equal(page.statusCode, 303)
  assert.match(String(page.headers.location), /^\/login/)
})

test('a logged-in person reads feeds in the browser without a key', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const res = await c.get('/feed.atom')
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['cache-control'], 'private, max-age=300')
})

test('renewing the key stops the old one at once', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const oldKey = await keyFromSettings(c)
  assert.equal(await keyFromSettings(c), oldKey, 'the key stays the same until renewed')
  const renewed = await c.post('/settings/feeds/renew', {}, { from: '/settings/feeds' })
  assert.equal(renewed.statusCode, 303)
  assert.equal(renewed.headers.location, '/settings/feeds?notice=feeds.settings.renewed')
  const page = await c.get('/settings/feeds?notice=feeds.settings.renewed')
  assert.match(page.body, /Du har fått en ny nøkkel/)
  const newKey = await keyFromSettings(c)
  assert.notEqual(newKey, oldKey)
  const reader = new Client(app)
  assert.equal((await reader.get(`/feed.xml?key=${oldKey}`)).statusCode, 404)
  assert.equal((await reader.get(`/feed.xml?key=${newKey}`)).statusCode, 200)
  // Only a hash is stored.
  const row = await app.db.selectFrom('feed_keys').selectAll().where('user_id', '=', kari.id).executeTakeFirstOrThrow()
  assert.doesNotMatch(JSON.stringify(row), new RegExp(newKey))
  // Renewing is a POST with CSRF.
  assert.equal((await c.post('/settings/feeds/renew', {}, { csrf: 'forged' })).statusCode, 403)
  assert.equal(await keyFromSettings(c), newKey)
})

test("a deactivated person's key stops working", async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const kari = await makeUser(app)
  const key = await keyFromSettings(await loggedIn(app, kari))
  const reader = new Client(app)
  assert.equal((await reader.get(`/micro/feed.atom?key=${key}`)).statusCode, 200)
  await setActive(app.db, null, kari.id, false)
  assert.equal((await reader.get(`/micro/feed.atom?key=${key}`)).statusCode, 404)
  await setActive(app.db, null, kari.id, true)
  assert.equal((await reader.get(`/micro/feed.atom?key=${key}`)).statusCode, 200)
  void admin
})

test('public site: feeds are open; a key that is wrong is still refused', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  await makePublic(app)
  await insertPost(app, { author: kari, title: 'Åpent innlegg' })
  const reader = new Client(app)
  const res = await reader.get('/feed.atom')
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['cache-control'], 'public, max-age=300')
  assert.equal((await reader.get('/feed.atom?key=feil')).statusCode, 404)
  const c = await loggedIn(app, kari)
  const page = await c.get('/settings/feeds')
  assert.match(page.body, /Betablogg er åpent, så strømmene kan leses uten nøkkel/)
  assert.match(page.body, /value="http:\/\/localhost:3000\/feed\.xml"/)
  assert.doesNotMatch(page.body, /Lag ny nøkkel/, 'an employee on a public site has no key to renew')
})

test('the editorial queue feed: editors only, always with their key, submissions oldest first', async (t) => {
  const app = await buildTestApp(t)
  await makePublic(app)
  const editor = await makeUser(app, { role: 'editor' })
  const kari = await makeUser(app, { displayName: 'Kari Skribent' })
  await insertPost(app, { author: kari, title: 'Nyere innsending', status: 'submitted', submittedAt: '2024-04-02T10:00:00Z' })
  const first = await insertPost(app, { author: kari, title: 'Eldste innsending', status: 'submitted', submittedAt: '2024-04-01T10:00:00Z' })
  await insertPost(app, { author: kari, title: 'Publisert', status: 'published' })
  await insertPost(app, { author: kari, title: 'Utkast', status: 'draft' })

  const editorPage = await (await loggedIn(app, editor)).get('/settings/feeds')
  const key = /value="http:\/\/localhost:3000\/editorial\/feed\.atom\?key=([A-Za-z0-9_-]+)"/.exec(editorPage.body)?.[1]
  assert.ok(key, 'an editor sees the queue feed with their key, even on a public site')
  assert.match(editorPage.body, /Lag ny nøkkel/)
  const kariKey = await keyFromSettings(await loggedIn(app, kari)).catch(() => undefined)
  assert.equal(kariKey, undefined, 'on a public site the site feed needs no key')
  const kariPage = await (await loggedIn(app, kari)).get('/settings/feeds')
  assert.doesNotMatch(kariPage.body, /editorial\/feed/)

  const reader = new Client(app)
  assert.equal((await reader.get('/editorial/feed.atom')).statusCode, 404, 'public site, no key: still closed')
  const res = await reader.get(`/editorial/feed.atom?key=${key}`)
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['cache-control'], 'private, max-age=300')
  const entries = parseXml(res.body).all('entry')
  assert.deepEqual(entries.map((e) => e.child('title')?.text), ['Eldste innsending', 'Nyere innsending'])
  const id = entries[0]!.child('id')?.text
  assert.equal(id, `tag:localhost,2025:submission/${first.id}/${Date.parse('2024-04-01T10:00:00Z')}`)
  assert.equal(entries[0]!.child('published')?.text, '2024-04-01T10:00:00.000Z')

  // A resubmission is a new entry: the id carries the submission time.
  await app.db.updateTable('posts').set({ submitted_at: '2024-05-01T10:00:00.000Z' }).where('id', '=', first.id).execute()
  const { bumpContentGeneration } = await import('../../src/web/page-cache.js')
  bumpContentGeneration()
  const again = parseXml((await reader.get(`/editorial/feed.atom?key=${key}`)).body).all('entry')
  assert.ok(again.every((e) => e.child('id')?.text !== id))

  // An employee's key does not open the queue.
  const internalKari = await app.db.selectFrom('feed_keys').select('user_id').where('user_id', '=', kari.id).executeTakeFirst()
  assert.ok(internalKari, 'visiting the page made a key for Kari too')
})

test('employee keys do not open the editorial feed', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const key = await keyFromSettings(await loggedIn(app, kari))
  const reader = new Client(app)
  assert.equal((await reader.get(`/feed.xml?key=${key}`)).statusCode, 200)
  assert.equal((await reader.get(`/editorial/feed.xml?key=${key}`)).statusCode, 404)
  assert.equal((await (await loggedIn(app, kari)).get('/editorial/feed.xml')).statusCode, 404)
})

test('the settings page lists the feeds with the key, and the OPML file holds them', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  await insertPost(app, { author: kari, title: 'Om økonomi', tags: ['økonomi', 'budsjett'] })
  const anon = await new Client(app).get('/settings/feeds')
  assert.equal(anon.statusCode, 303, 'login required')
  const c = await loggedIn(app, kari)
  const key = await keyFromSettings(c)
  const page = c.lastHtml
  assert.match(page, /<h1>Nyhetsstrømmer<\/h1>/)
  assert.match(page, /Adressene nedenfor inneholder din personlige nøkkel/)
  for (const path of ['/feed.atom', '/micro/feed.xml', '/users/kari/feed.xml', '/users/kari/updates/feed.atom', '/tags/%C3%B8konomi/feed.xml']) {
    assert.ok(page.includes(`value="http://localhost:3000${path}?key=${key}"`), path)
  }
  assert.match(page, /<label class="visually-hidden" for="feed_rss_0">RSS-strøm: Alle innlegg<\/label>/)
  assert.match(page, /Lag ny nøkkel/)
  assert.equal(page.match(/<input type="hidden" name="_csrf"/g)?.length, 3, 'the renew form, the colour choice and the logout form carry CSRF tokens')

  const opml = await c.get('/settings/feeds/betablogg.opml')
  assert.equal(opml.statusCode, 200)
  assert.match(String(opml.headers['content-type']), /^text\/x-opml/)
  assert.match(String(opml.headers['content-disposition']), /attachment; filename="betablogg.opml"/)
  const doc = parseXml(opml.body)
  assert.equal(doc.name, 'opml')
  assert.equal(doc.child('head')?.child('title')?.text, 'Betablogg – strømmer for Kari Nordmann')
  const outlines = doc.child('body')!.all('outline')
  assert.deepEqual(outlines.map((o) => o.attrs.text), ['Alle innlegg', 'Mikrobloggen', 'Dine innlegg', 'Dine oppdateringer', 'Stikkord: budsjett', 'Stikkord: økonomi'])
  assert.equal(outlines[0]!.attrs.xmlUrl, `http://localhost:3000/feed.atom?key=${key}`)
  assert.equal(outlines[0]!.attrs.htmlUrl, 'http://localhost:3000/')
  // Every URL in the OPML works for a feed reader.
  for (const o of outlines) {
    const url = o.attrs.xmlUrl!.replace('http://localhost:3000', '')
    assert.equal((await new Client(app).get(url)).statusCode, 200, url)
  }
})
