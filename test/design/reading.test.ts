// Issue 14, design: the lead story, cards with cover thumbnails, the compact header, and the post page's
// reading time, author box, related posts and link to copy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { storeUpload } from '../../src/uploads/service.js'
import { solid } from '../uploads/fixtures.js'

test('front page: a lead story, then cards; covers as lazy thumbnails with srcset, width and height', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app, { displayName: 'Kari Nordmann' })
  const image = await storeUpload(app.db, app.config.uploadsDir, asCurrent(author), { data: await solid(1600, 900).jpeg().toBuffer(), truncated: false }, { alt: 'Et rødt bilde' })
  const day = (d: number) => new Date(Date.UTC(2026, 10, d, 10))
  await publishedPost(app, author, editor, { title: 'Eldre med bilde', cover: image }, day(1))
  await publishedPost(app, author, editor, { title: 'Nyeste innlegg', cover: image }, day(2))
  const c = await loggedIn(app, author)
  const home = (await c.get('/')).body
  const lead = /<section class="lead-section"[\s\S]*?<\/section>/.exec(home)?.[0] ?? ''
  assert.match(lead, /Hovedsak/)
  assert.match(lead, /Nyeste innlegg/)
  assert.doesNotMatch(lead, /loading="lazy"/, 'the lead story\'s picture is the first thing seen: loaded at once')
  const latest = home.slice(home.indexOf('id="latest_heading"'))
  assert.match(latest, /Eldre med bilde/)
  assert.doesNotMatch(latest, /Nyeste innlegg/, 'the lead story is not repeated')
  const thumb = /<img class="post-card-cover"[^>]*>/.exec(latest)?.[0] ?? ''
  assert.match(thumb, /srcset="\/uploads\/[^"]+ \d+w, [^"]+ \d+w/)
  assert.match(thumb, /loading="lazy"/)
  assert.match(thumb, /width="\d+" height="\d+"/)
  assert.match(thumb, /alt=""/, 'beside its linked title the thumbnail is decoration')
})

test('header: three main sections; role pages and account links live in a user menu; a menu button for phones', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'editor+admin' })
  const employee = await makeUser(app)
  const e = (await (await loggedIn(app, employee)).get('/tags')).body
  const nav = /<nav class="main-nav wide-only"[\s\S]*?<\/nav>/.exec(e)?.[0] ?? ''
  assert.equal((nav.match(/<li>/g) ?? []).length, 3)
  assert.match(nav, /href="\/tags" aria-current="page"/)
  const userMenu = /<details class="menu user-menu">[\s\S]*?<\/details>/.exec(e)?.[0] ?? ''
  assert.match(userMenu, /href="\/my\/posts"/)
  assert.match(userMenu, /href="\/settings"/)
  assert.match(userMenu, /action="\/logout"/)
  assert.doesNotMatch(userMenu, /\/editorial|\/admin/, 'an employee sees no editor or admin pages')
  assert.match(e, /<details class="menu phone-menu narrow-only">\s*<summary>Meny<\/summary>/)
  const a = (await (await loggedIn(app, admin)).get('/')).body
  const adminMenu = /<details class="menu user-menu">[\s\S]*?<\/details>/.exec(a)?.[0] ?? ''
  for (const href of ['/editorial', '/moderation', '/admin/users']) assert.ok(adminMenu.includes(`href="${href}"`), href)
})

test('post page: reading time, a link to copy, an author box and posts on the same tags', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app, { displayName: 'Kari Nordmann' })
  await app.db.updateTable('users').set({ bio: 'Rådgiver i digitalisering.' }).where('id', '=', author.id).execute()
  const words = Array.from({ length: 600 }, (_, i) => `ord${i}`).join(' ')
  const id = await publishedPost(app, author, editor, { title: 'Hovedinnlegget', body: words, tags: 'ikt, skole' })
  await publishedPost(app, author, editor, { title: 'Bare ikt', tags: 'ikt' })
  await publishedPost(app, author, editor, { title: 'Både ikt og skole', tags: 'skole, ikt' })
  await publishedPost(app, author, editor, { title: 'Noe helt annet', tags: 'kultur' })
  const slug = (await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug
  for (const [lang, reading] of [['nb', '3 minutters lesing'], ['nn', '3 minutt lesing'], ['en', '3 minutes read']] as const) {
    const page = (await (await loggedIn(app, author)).get(`/posts/${slug}`, { 'accept-language': lang })).body
    assert.ok(page.includes(reading), `${lang}: ${reading}`)
  }
  const page = (await (await loggedIn(app, editor)).get(`/posts/${slug}`)).body
  assert.match(page, /<aside class="author-box"[\s\S]*Kari Nordmann[\s\S]*Rådgiver i digitalisering\.[\s\S]*Alle innlegg av Kari Nordmann/)
  const related = /<nav class="related-posts"[\s\S]*?<\/nav>/.exec(page)?.[0] ?? ''
  assert.match(related, /Både ikt og skole[\s\S]*Bare ikt/, 'most shared tags first')
  assert.doesNotMatch(related, /Noe helt annet|Hovedinnlegget/)
  assert.match(page, new RegExp(`<input id="post_permalink" class="copy-field" type="text" readonly value="${app.config.baseUrl}/posts/${slug}">`))
  assert.match(page, /<button type="button" class="copy-button" data-copy-from="post_permalink"[^>]*hidden>Kopier lenken<\/button>/, 'the button appears only with JavaScript')
})

test('colour scheme: kept per person beside the device setting, never shown to anyone else (caches included)', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const kari = await loggedIn(app, await makeUser(app))
  const ola = await loggedIn(app, await makeUser(app))
  assert.match((await kari.get('/')).body, /<html lang="nb">/, 'as the device by default')
  await ola.get('/tags') // a page now in the session cache for Ola
  const set = await kari.post('/settings/theme', { theme: 'dark', next: '/tags' }, { from: '/' })
  assert.equal(set.statusCode, 303)
  assert.equal(set.headers.location, '/tags')
  const dark = (await kari.get('/tags')).body
  assert.match(dark, /<html lang="nb" data-theme="dark">/)
  assert.match(dark, /<meta name="color-scheme" content="dark">/)
  assert.match(dark, /value="dark" class="link-button" aria-pressed="true"/)
  assert.doesNotMatch((await ola.get('/tags')).body, /data-theme/)
  const { Client } = await import('../helpers/client.js')
  const anon = new Client(app)
  await anon.get('/tags'); assert.doesNotMatch((await anon.get('/tags')).body, /data-theme/, 'the anonymous page cache')
  await kari.post('/settings/theme', { theme: 'device', next: '/' }, { from: '/' })
  assert.doesNotMatch((await kari.get('/tags')).body, /data-theme/)
  assert.equal((await kari.post('/settings/theme', { theme: 'dark', next: 'https://evil.example/' }, { from: '/' })).headers.location, '/', 'no open redirect')
  assert.equal((await anon.post('/settings/theme', { theme: 'dark' }, { csrf: 'x' })).statusCode >= 300, true)
})
