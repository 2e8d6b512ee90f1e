// Widgets for the intranet and the LMS, and the oEmbed provider: who may frame them, the key an
// internal site needs, what they show, and the administration page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { loggedIn, Client } from '../helpers/client.js'
import { asCurrent, publishedPost, writePost } from '../posts/helpers.js'
import { postUpdate } from '../../src/micro/service.js'
import { parseOrigins, normaliseOrigin } from '../../src/widgets/origins.js'

const INTRANET = 'https://intranett.example.no'

async function setup(t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const app = await buildTestApp(t, { BASE_URL: 'http://blogg.test', ...env })
  const admin = await makeUser(app, { role: 'editor+admin', username: 'anne' })
  const author = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const editor = await makeUser(app, { role: 'editor', username: 'redaktor' })
  return { app, admin, author, editor }
}

async function saveOrigins(app: FastifyInstance, admin: TestUser, origins: string) {
  const c = await loggedIn(app, admin)
  return { c, res: await c.post('/admin/widgets/origins', { origins }, { from: '/admin/widgets' }) }
}

/** The widget key as the admin page shows it in the embed code. */
async function widgetKeyOf(c: Client): Promise<string> {
  const page = await c.get('/admin/widgets?kind=posts&limit=3')
  const m = /key=([A-Za-z0-9_-]+)/.exec(page.body)
  assert.ok(m, 'the embed code carries the key on an internal site')
  return m[1]!
}

test('origins: only scheme, host and port; normalised, de-duplicated, bounded', () => {
  assert.equal(normaliseOrigin('https://Intranett.Example.no/'), 'https://intranett.example.no')
  assert.equal(normaliseOrigin('http://lms.example.no:8443'), 'http://lms.example.no:8443')
  for (const bad of ['https://x.no/path', 'https://*.x.no', 'ftp://x.no', 'javascript:alert(1)', "https://x.no'", 'https://u:p@x.no', 'x.no', 'https://x.no?a=1']) {
    assert.equal(normaliseOrigin(bad), undefined, bad)
  }
  assert.deepEqual(parseOrigins('https://a.no\nhttps://A.no/ , https://b.no'), { origins: ['https://a.no', 'https://b.no'] })
  assert.equal('problem' in parseOrigins(Array.from({ length: 21 }, (_, i) => `https://h${i}.no`).join('\n')), true)
})

test('public site: widgets need no key, show only published posts, and may be framed only by the listed origins', async (t) => {
  const { app, admin, author, editor } = await setup(t, { SITE_VISIBILITY: 'public' })
  await publishedPost(app, author, editor, { title: 'Velferdsteknologi i Trondheim', tags: 'velferd' })
  await publishedPost(app, author, editor, { title: 'Om skytjenester', tags: 'sky' })
  const writer = await loggedIn(app, author)
  await writePost(writer, { title: 'Hemmelig utkast', tags: 'velferd' })

  const anon = new Client(app)
  let res = await anon.get('/widgets/posts?tag=velferd')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Velferdsteknologi i Trondheim/)
  assert.doesNotMatch(res.body, /Om skytjenester|Hemmelig utkast/)
  assert.match(res.body, /<base target="_parent">/)
  assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'self'(;|$)/)
  assert.equal(res.headers['x-frame-options'], undefined)

  const { res: saved } = await saveOrigins(app, admin, `${INTRANET}/\nhttps://lms.example.no`)
  assert.equal(saved.statusCode, 303)
  res = await anon.get('/widgets/posts?tag=velferd')
  assert.match(String(res.headers['content-security-policy']), new RegExp(`frame-ancestors 'self' ${INTRANET} https://lms.example.no`))
  // Every other page still refuses to be framed.
  assert.match(String((await anon.get('/')).headers['content-security-policy']), /frame-ancestors 'none'/)

  res = await anon.get('/widgets/posts?author=kari&limit=1')
  assert.equal(res.statusCode, 200)
  assert.equal((res.body.match(/class="widget-title"/g) ?? []).length, 1)
  assert.match(res.body, /Kari Nordmann/)
  assert.equal((await anon.get('/widgets/posts?tag=finnes-ikke')).statusCode, 404)
  assert.equal((await anon.get('/widgets/posts?limit=50')).statusCode, 400)
})

test('the viewer’s language: a widget speaks as the browser asks', async (t) => {
  const { app, author, editor } = await setup(t, { SITE_VISIBILITY: 'public' })
  await publishedPost(app, author, editor, { title: 'Innlegg' })
  const en = await app.inject({ url: '/widgets/posts', headers: { 'accept-language': 'en-GB,en;q=0.9' } })
  assert.match(en.body, /<html lang="en">/)
  assert.match(en.body, /New posts on Betablogg/)
  const nn = await app.inject({ url: '/widgets/updates', headers: { 'accept-language': 'nn' } })
  assert.match(nn.body, /Siste oppdateringar/)
  assert.match(nn.body, /Ingenting her enno/)
})

test('internal site: a widget without the key, or with an old one, is refused (and logged); with it, shown', async (t) => {
  const { app, admin, author, editor } = await setup(t)
  await publishedPost(app, author, editor, { title: 'Internt innlegg', tags: 'velferd' })
  await postUpdate(app.db, asCurrent(author), { body: 'En oppdatering fra kari' })
  const anon = new Client(app)
  let res = await anon.get('/widgets/updates')
  assert.equal(res.statusCode, 403)
  assert.match(res.body, /mangler en gyldig nøkkel/)
  assert.doesNotMatch(res.body, /En oppdatering fra kari/)
  assert.equal((await anon.get('/widgets/updates?key=gjett')).statusCode, 403)

  const { c } = await saveOrigins(app, admin, INTRANET)
  const key = await widgetKeyOf(c)
  res = await anon.get(`/widgets/updates?key=${key}`)
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /En oppdatering fra kari/)
  assert.match(String(res.headers['content-security-policy']), new RegExp(`frame-ancestors 'self' ${INTRANET}`))

  // A new key: the old addresses stop working.
  const renewed = await c.post('/admin/widgets/key', { _confirm: 'yes' }, { from: '/admin/widgets' })
  assert.equal(renewed.statusCode, 303)
  assert.equal((await anon.get(`/widgets/updates?key=${key}`)).statusCode, 403)
  const newKey = await widgetKeyOf(c)
  assert.notEqual(newKey, key)
  assert.equal((await anon.get(`/widgets/posts?tag=velferd&key=${newKey}`)).statusCode, 200)
  const audit = await app.db.selectFrom('audit_events').select('action').where('action', 'like', 'widgets.%').execute()
  assert.deepEqual(audit.map((a) => a.action).sort(), ['widgets.key.renew', 'widgets.origins'])
})

test('oEmbed: a published post’s address becomes a rich card; anything else is 404; only JSON', async (t) => {
  const { app, author, editor } = await setup(t, { SITE_VISIBILITY: 'public' })
  await publishedPost(app, author, editor, { title: 'Kort <om> "kort"', lead: 'Ingressen' })
  const post = await app.db.selectFrom('posts').select('slug').executeTakeFirstOrThrow()
  const url = `http://blogg.test/posts/${post.slug}`

  const page = await app.inject({ url: `/posts/${post.slug}` })
  assert.match(page.body, /<link rel="alternate" type="application\/json\+oembed"[^>]*href="\/oembed\?url=/)

  const res = await app.inject({ url: `/oembed?url=${encodeURIComponent(url)}&format=json&maxwidth=400` })
  assert.equal(res.statusCode, 200)
  const body = res.json()
  assert.equal(body.version, '1.0')
  assert.equal(body.type, 'rich')
  assert.equal(body.title, 'Kort <om> "kort"')
  assert.equal(body.author_name, 'Kari Nordmann')
  assert.equal(body.width, 400)
  assert.match(body.html, new RegExp(`^<iframe src="http://blogg.test/widgets/post/${post.slug}" width="400"`))
  assert.match(body.html, /title="Kort &lt;om&gt; &quot;kort&quot;"/)
  const card = await app.inject({ url: `/widgets/post/${post.slug}` })
  assert.match(card.body, /Ingressen/)

  assert.equal((await app.inject({ url: `/oembed?url=${encodeURIComponent(url)}&format=xml` })).statusCode, 501)
  assert.equal((await app.inject({ url: `/oembed?url=${encodeURIComponent('https://annet.example/posts/' + post.slug)}` })).statusCode, 404)
  assert.equal((await app.inject({ url: `/oembed?url=${encodeURIComponent('http://blogg.test/posts/finnes-ikke')}` })).statusCode, 404)
})

test('oEmbed on an internal site needs the key, and the card it frames carries it', async (t) => {
  const { app, admin, author, editor } = await setup(t)
  await publishedPost(app, author, editor, { title: 'Internt kort' })
  const post = await app.db.selectFrom('posts').select('slug').executeTakeFirstOrThrow()
  const url = encodeURIComponent(`http://blogg.test/posts/${post.slug}`)
  assert.equal((await app.inject({ url: `/oembed?url=${url}` })).statusCode, 403)
  const key = await widgetKeyOf(await loggedIn(app, admin))
  const res = await app.inject({ url: `/oembed?url=${url}&key=${key}` })
  assert.equal(res.statusCode, 200)
  assert.match(res.json().html, new RegExp(`/widgets/post/${post.slug}\\?key=${key}`))
})

test('administration: admins only; a bad origin comes back beside the field with the text kept', async (t) => {
  const { app, admin, author } = await setup(t)
  const employee = await loggedIn(app, author)
  assert.equal((await employee.get('/admin/widgets')).statusCode, 403)
  const c = await loggedIn(app, admin)
  const page = await c.get('/admin/widgets')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Ingen nettsteder er lagt inn ennå/)
  const res = await c.post('/admin/widgets/origins', { origins: 'https://ok.example.no\nhttps://*.example.no' }, { from: '/admin/widgets' })
  assert.equal(res.statusCode, 422)
  assert.match(res.body, /id="f_origins-error"[^>]*>Skriv hver adresse/)
  assert.match(res.body, /https:\/\/\*\.example\.no<\/textarea>/)
  const settings = await app.settings.get()
  assert.deepEqual(settings.widgetOrigins, [])
  // The builder: a tag widget without a tag gives no code yet; with one, code and a preview.
  assert.match((await c.get('/admin/widgets?kind=tag')).body, /Skriv inn stikkord eller brukernavn/)
  const built = await c.get('/admin/widgets?kind=tag&tag=velferd&limit=4')
  assert.match(built.body, /&lt;iframe src=&quot;http:\/\/blogg.test\/widgets\/posts\?tag=velferd&amp;amp;limit=4&amp;amp;key=/)
  assert.match(String(built.headers['content-security-policy']), /frame-src 'self'/)
})
