// Issue 14, site identity: name, tagline, logo, front-page introduction and footer links, set by
// administrators (audited), used in pages, feeds, Open Graph tags and e-mails.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import sharp from 'sharp'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { postMultipart } from '../uploads/multipart.js'
import { jpegWithPrivateMetadata, solid } from '../uploads/fixtures.js'
import { isFooterUrl } from '../../src/identity/service.js'
import { senderOf } from '../../src/mail/sender.js'
import { translator } from '../../src/web/i18n/index.js'

const IDENTITY = {
  siteName: 'Kommunebloggen', siteTagline: 'Nytt fra oss i kommunen', siteIntroMd: 'Velkommen! Les **alt** her. <script>alert(1)</script>',
  contactLabel: 'Kontakt oss', contactUrl: 'mailto:blogg@example.test', privacyLabel: '', privacyUrl: 'https://example.test/personvern',
  accessibilityLabel: '', accessibilityUrl: '',
}

test('footer addresses: https, a path on the site or mailto; nothing else', () => {
  for (const ok of ['https://example.test/a', '/om', 'mailto:a@example.test', 'http://intranett.example/x']) assert.ok(isFooterUrl(ok), ok)
  for (const bad of ['javascript:alert(1)', '//evil.example', 'ftp://x.test', 'data:text/html,x', 'mailto:nobody', 'https://u:p@x.test', 'om', '/a b']) assert.ok(!isFooterUrl(bad), bad)
})

test('translator with a site name: every text that names the site says the new name; params are left alone', () => {
  const t = translator('nb', { name: 'Kommunebloggen', tagline: 'Nytt' })
  assert.equal(t('site.name'), 'Kommunebloggen')
  assert.equal(t('site.tagline'), 'Nytt')
  assert.match(t('feeds.posts.title'), /^Kommunebloggen – /)
  assert.match(t('feeds.author.title', { name: 'Betablogg-Kari' }), /Kommunebloggen – .*Betablogg-Kari/)
  assert.equal(translator('nb')('site.name'), 'Betablogg', 'the default is untouched')
})

test('sender name: the site name with MAIL_FROM\'s address', () => {
  assert.equal(senderOf('Betablogg <b@example.test>', ''), 'Betablogg <b@example.test>')
  assert.deepEqual(senderOf('Betablogg <b@example.test>', 'Kommunebloggen'), { name: 'Kommunebloggen', address: 'b@example.test' })
  assert.deepEqual(senderOf('b@example.test', 'K'), { name: 'K', address: 'b@example.test' })
})

test('only administrators reach site identity; defaults are today\'s texts', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const editor = await makeUser(app, { role: 'editor' })
  const e = await loggedIn(app, editor)
  assert.equal((await e.get('/admin/identity')).statusCode, 403)
  await e.get('/')
  assert.equal((await e.post('/admin/identity', IDENTITY)).statusCode, 403)
  assert.equal((await postMultipart(e, '/admin/identity/logo', {}, { field: 'logo', filename: 'l.png', type: 'image/png', data: await solid(100, 50).png().toBuffer() })).statusCode, 403)
  const home = (await e.get('/')).body
  assert.match(home, /<title>Betablogg<\/title>/)
  assert.match(home, /<meta property="og:site_name" content="Betablogg">/)
  assert.match(home, /Trondheim kommunes blogg om IT og sosiale medier/)
  assert.match(home, /<span class="brand-mark" aria-hidden="true">β<\/span>/)
  const a = await loggedIn(app, admin)
  const page = await a.get('/admin/identity')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /aria-current="page">Nettstedets identitet/)
})

test('identity: validated beside the fields with the input kept; saved, audited, and used in pages, feeds and Open Graph', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const admin = await makeUser(app, { role: 'admin' })
  const a = await loggedIn(app, admin)
  const bad = await a.post('/admin/identity', { ...IDENTITY, siteName: 'x'.repeat(61), contactUrl: 'javascript:alert(1)', privacyLabel: 'Personvern', privacyUrl: '' }, { from: '/admin/identity' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_siteName-error">Navnet kan ha høyst 60 tegn/)
  assert.match(bad.body, /id="f_contactUrl-error">Skriv en adresse som begynner med/)
  assert.match(bad.body, /id="f_privacyUrl-error">Skriv adressen lenken skal gå til/)
  assert.match(bad.body, /value="Nytt fra oss i kommunen"/, 'input kept')

  const ok = await a.post('/admin/identity', IDENTITY, { from: '/admin/identity' })
  assert.equal(ok.statusCode, 303)
  const audit = await app.db.selectFrom('audit_events').select(['action', 'from_state', 'to_state']).where('action', '=', 'settings.identity').execute()
  assert.equal(audit.length, 1)
  assert.match(audit[0]!.to_state!, /Kommunebloggen/)
  assert.match(audit[0]!.from_state!, /"name":""/)

  const home = (await app.inject({ url: '/' })).body // an anonymous reader of the public site
  assert.match(home, /<title>Kommunebloggen<\/title>/)
  assert.match(home, /<a class="brand" href="\/">[\s\S]*?Kommunebloggen<\/a>/)
  assert.match(home, /<p class="lead">Nytt fra oss i kommunen<\/p>/)
  assert.match(home, /<div class="prose site-intro"><p>Velkommen! Les <strong>alt<\/strong> her\./)
  assert.doesNotMatch(home, /<script>alert/, 'the introduction went through the sanitizer')
  assert.match(home, /<a href="mailto:blogg@example.test">Kontakt oss<\/a>/)
  assert.match(home, /<a href="https:\/\/example.test\/personvern">Personvern<\/a>/, 'an empty label gives the standard text')
  assert.match(home, /<a href="\/accessibility">/, 'the built-in statement stays without an address of its own')
  assert.match(home, /<meta property="og:site_name" content="Kommunebloggen">/)
  assert.match(home, /<meta property="og:description" content="Nytt fra oss i kommunen">/)
  assert.match(home, /Kommunebloggen er Trondheim kommunes interne/, 'the footer text names the site')
  const en = (await app.inject({ url: '/', headers: { 'accept-language': 'en' } })).body
  assert.match(en, /<title>Kommunebloggen<\/title>/)
  assert.match(en, /<a href="https:\/\/example.test\/personvern">Privacy<\/a>/)

  const feed = (await app.inject({ url: '/feed.xml' }))
  assert.equal(feed.statusCode, 200, feed.body.slice(0, 200))
  assert.match(feed.body, /<title>Kommunebloggen – alle innlegg<\/title>/)
  assert.match(feed.body, /<description>Nytt fra oss i kommunen<\/description>/)

  // Back to the defaults.
  const cleared = await a.post('/admin/identity', { siteName: '', siteTagline: '', siteIntroMd: '' }, { from: '/admin/identity' })
  assert.equal(cleared.statusCode, 303)
  const again = (await app.inject({ url: '/' })).body
  assert.match(again, /<title>Betablogg<\/title>/)
  assert.doesNotMatch(again, /site-intro|Kontakt oss/)
})

test('logo: PNG or JPEG re-encoded and shown in the header (login page too); SVG refused with its own message; removed', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const a = await loggedIn(app, admin)
  const svg = { field: 'logo', filename: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>') }
  const refused = await postMultipart(a, '/admin/identity/logo', {}, svg, { from: '/admin/identity' })
  assert.equal(refused.statusCode, 422)
  assert.match(refused.body, /id="f_logo-error">SVG-filer tas ikke imot som logo, fordi de kan inneholde skript/)
  const gif = { field: 'logo', filename: 'logo.gif', type: 'image/gif', data: await solid(50, 50).gif().toBuffer() }
  assert.match((await postMultipart(a, '/admin/identity/logo', {}, gif, { from: '/admin/identity' })).body, /Logoen må være en PNG- eller JPEG-fil/)

  const photo = { field: 'logo', filename: 'logo.jpg', type: 'image/jpeg', data: await jpegWithPrivateMetadata() }
  assert.equal((await postMultipart(a, '/admin/identity/logo', {}, photo, { from: '/admin/identity' })).statusCode, 303)
  const home = (await a.get('/')).body
  const src = /<img class="brand-logo" src="(\/site-logo\/[^"]+\.jpg)" width="\d+" height="128" alt="">/.exec(home)?.[1]
  assert.ok(src, 'the logo in the header, alt="" beside the name')
  const file = await app.inject({ url: src! }) // no session: the login page of an internal site shows it too
  assert.equal(file.statusCode, 200)
  const meta = await sharp(file.rawPayload).metadata()
  assert.equal(meta.height, 128)
  assert.equal(meta.exif, undefined, 'metadata dropped')
  assert.match((await app.inject({ url: '/login' })).body, new RegExp(`<img class="brand-logo" src="${src}"`))
  assert.equal((await app.inject({ url: '/site-logo/2026/01/' + 'c'.repeat(32) + '.png' })).statusCode, 404, 'only the current logo')
  assert.ok((await app.db.selectFrom('audit_events').select('action').where('action', '=', 'settings.logo').execute()).length >= 1)

  const removed = await a.post('/admin/identity/logo/delete', { _confirm: 'yes' }, { from: '/admin/identity' })
  assert.equal(removed.statusCode, 303)
  assert.equal((await app.inject({ url: src! })).statusCode, 404)
  assert.match((await a.get('/')).body, /brand-mark/)
  for (const lang of ['nn', 'en']) assert.match((await a.get('/admin/identity', { 'accept-language': lang })).body, lang === 'nn' ? /Identiteten til nettstaden/ : /Site identity/)
})
