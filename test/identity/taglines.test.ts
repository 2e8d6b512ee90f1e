// Issue 14, site identity per language: the tagline and the front-page introduction are set for
// bokmål, nynorsk and English; an empty nynorsk or English one says bokmål's. Used on the front page,
// in its Open Graph description, in the feeds' description and in e-mails.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { TestSmtp } from '../helpers/smtp.js'

const TEXTS = {
  siteName: 'Kommunebloggen',
  siteTagline: 'Nytt fra oss i kommunen', siteTaglineNn: 'Nytt frå oss i kommunen', siteTaglineEn: '',
  siteIntroMd: 'Velkommen, les **alt**.', siteIntroMdNn: 'Velkomen, les *alt*.', siteIntroMdEn: '',
}
const inLang = (lang: string) => ({ 'accept-language': lang })
const tagline = (html: string) => /<p class="lead">([^<]*)<\/p>/.exec(html)?.[1]
const ogDescription = (html: string) => /<meta property="og:description" content="([^"]*)">/.exec(html)?.[1]
const intro = (html: string) => /<div class="prose site-intro">([\s\S]*?)<\/div>/.exec(html)?.[1]?.trim()

test('tagline and introduction per language: front page, its Open Graph description and the feeds; empty nynorsk or English says bokmål\'s', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const admin = await makeUser(app, { role: 'admin' })
  const a = await loggedIn(app, admin)
  assert.equal((await a.post('/admin/identity', TEXTS, { from: '/admin/identity' })).statusCode, 303)

  const nb = (await app.inject({ url: '/', headers: inLang('nb') })).body
  assert.equal(tagline(nb), 'Nytt fra oss i kommunen')
  assert.equal(ogDescription(nb), 'Nytt fra oss i kommunen')
  assert.equal(intro(nb), '<p>Velkommen, les <strong>alt</strong>.</p>')
  const nn = (await app.inject({ url: '/', headers: inLang('nn') })).body
  assert.equal(tagline(nn), 'Nytt frå oss i kommunen')
  assert.equal(ogDescription(nn), 'Nytt frå oss i kommunen')
  assert.equal(intro(nn), '<p>Velkomen, les <em>alt</em>.</p>')
  const en = (await app.inject({ url: '/', headers: inLang('en') })).body
  assert.equal(tagline(en), 'Nytt fra oss i kommunen', 'no English tagline: the bokmål one')
  assert.equal(ogDescription(en), 'Nytt fra oss i kommunen')
  assert.equal(intro(en), '<p>Velkommen, les <strong>alt</strong>.</p>')

  const feed = async (lang: string) => /<description>([^<]*)<\/description>/.exec((await app.inject({ url: '/feed.xml', headers: inLang(lang) })).body)?.[1]
  assert.equal(await feed('nb'), 'Nytt fra oss i kommunen')
  assert.equal(await feed('nn'), 'Nytt frå oss i kommunen')
  assert.equal(await feed('en'), 'Nytt fra oss i kommunen')

  // English of its own; the audit trail keeps every language.
  assert.equal((await a.post('/admin/identity', { ...TEXTS, siteTaglineEn: 'News from the municipality', siteIntroMdEn: 'Welcome.' }, { from: '/admin/identity' })).statusCode, 303)
  const en2 = (await app.inject({ url: '/', headers: inLang('en') })).body
  assert.equal(tagline(en2), 'News from the municipality')
  assert.equal(intro(en2), '<p>Welcome.</p>')
  assert.equal(await feed('en'), 'News from the municipality')
  assert.equal(tagline((await app.inject({ url: '/', headers: inLang('nb') })).body), 'Nytt fra oss i kommunen', 'bokmål untouched')
  const audit = await app.db.selectFrom('audit_events').select('to_state').where('action', '=', 'settings.identity').orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.match(audit.to_state!, /"taglineEn":"News from the municipality"/)

  // Only nynorsk set, bokmål empty: bokmål and English readers get the standard texts of their language.
  assert.equal((await a.post('/admin/identity', { siteTaglineNn: 'Berre på nynorsk' }, { from: '/admin/identity' })).statusCode, 303)
  assert.equal(tagline((await app.inject({ url: '/', headers: inLang('nn') })).body), 'Berre på nynorsk')
  assert.equal(tagline((await app.inject({ url: '/', headers: inLang('nb') })).body), 'Trondheim kommunes blogg om IT og sosiale medier')
  assert.equal(tagline((await app.inject({ url: '/', headers: inLang('en') })).body), 'Trondheim municipality’s blog about IT and social media')
  assert.equal(intro((await app.inject({ url: '/', headers: inLang('en') })).body), undefined)
})

test('the identity page: a field per language in three languages; errors beside the field in the reader\'s language, every input kept', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const a = await loggedIn(app, admin)
  const labels = {
    nb: ['Slagord på bokmål', 'Slagord på nynorsk', 'Slagord på engelsk', 'Introduksjon på nynorsk'],
    nn: ['Slagord på bokmål', 'Slagord på nynorsk', 'Slagord på engelsk', 'Innleiing på nynorsk'],
    en: ['Tagline in Bokmål', 'Tagline in Nynorsk', 'Tagline in English', 'Introduction in Nynorsk'],
  }
  for (const [lang, texts] of Object.entries(labels)) {
    const page = (await a.get('/admin/identity', inLang(lang))).body
    for (const label of texts) assert.match(page, new RegExp(`<label for="f_site\\w+">${label}</label>`), `${lang}: ${label}`)
    assert.match(page, /<input id="f_siteTaglineNn" name="siteTaglineNn" lang="nn" type="text"/, 'the field says its language')
  }

  const tooLong = { ...TEXTS, siteTaglineNn: 'å'.repeat(161), siteIntroMdEn: 'x'.repeat(2001) }
  const bad = await a.post('/admin/identity', tooLong, { from: '/admin/identity' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /<p class="error-message" id="f_siteTaglineNn-error">Slagordet på nynorsk kan ha høyst 160 tegn\.<\/p>/)
  assert.match(bad.body, /id="f_siteIntroMdEn-error">Introduksjonen på engelsk kan ha høyst 2000 tegn\./)
  assert.match(bad.body, /<a href="#f_siteTaglineNn">Slagordet på nynorsk/, 'in the summary, linked to its field')
  assert.match(bad.body, new RegExp(`name="siteTaglineNn" lang="nn" type="text" value="${'å'.repeat(161)}"`), 'input kept')
  assert.match(bad.body, /value="Nytt fra oss i kommunen"/)
  assert.match(bad.body, /<textarea id="f_siteIntroMdNn"[^>]*>Velkomen, les \*alt\*\.<\/textarea>/)
  assert.match(bad.body, /<textarea id="f_siteIntroMdEn"[^>]*aria-invalid="true"[^>]*>x{2001}<\/textarea>/)
  for (const [lang, message] of [['en', 'The tagline in Nynorsk can have at most 160 characters.'], ['nn', 'Slagordet på nynorsk kan ha høgst 160 teikn.']]) {
    const c = new Client(app, inLang(lang!))
    await c.login(admin.username, admin.password)
    const res = await c.post('/admin/identity', tooLong, { from: '/admin/identity' })
    assert.equal(res.statusCode, 422)
    assert.ok(res.body.includes(`id="f_siteTaglineNn-error">${message}`), `${lang}: ${message}`)
  }
  assert.equal((await app.settings.get()).siteTaglineNn, '', 'nothing saved')

  assert.equal((await a.post('/admin/identity', TEXTS, { from: '/admin/identity' })).statusCode, 303)
  const saved = (await a.get('/admin/identity?notice=identity.saved')).body
  assert.match(saved, /name="siteTaglineNn" lang="nn" type="text" value="Nytt frå oss i kommunen"/, 'shown again after saving')
})

test('e-mails end with the tagline in the recipient\'s language', async (t) => {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env())
  await app.settings.update({ siteName: 'Kommunebloggen', siteTagline: 'Nytt fra oss', siteTaglineNn: 'Nytt frå oss', siteTaglineEn: '' }, null)
  const people = { nb: 'kari@example.test', nn: 'nils@example.test', en: 'emma@example.test' }
  for (const [lang, email] of Object.entries(people)) {
    const u = await makeUser(app, { username: email.split('@')[0], email })
    await app.db.updateTable('users').set({ language: lang }).where('id', '=', u.id).execute()
    const res = await new Client(app).post('/password/forgot', { email }, { from: '/password/forgot' })
    assert.equal(res.statusCode, 303)
  }
  const mails = await smtp.waitFor(3)
  const footer = (email: string) => {
    const m = mails.find((x) => (x.to as { text: string }).text === email)
    assert.ok(m, email)
    return m.text ?? ''
  }
  assert.match(footer(people.nb), /^Kommunebloggen – Nytt fra oss$/m)
  assert.match(footer(people.nn), /^Kommunebloggen – Nytt frå oss$/m)
  assert.match(footer(people.en), /^Kommunebloggen – Nytt fra oss$/m, 'no English tagline: the bokmål one')
})
