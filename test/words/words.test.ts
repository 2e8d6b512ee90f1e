// Issue 14, words: plural forms by Intl.PluralRules in every language, and the admin pages' wording.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { catalogKeys, translator } from '../../src/web/i18n/index.js'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

test('counts take the singular for 1 and the plural otherwise, in nb, nn and en', () => {
  const nb = translator('nb'), nn = translator('nn'), en = translator('en')
  assert.equal(nb('settings.sessionsCount', { count: 1 }), 'Du er logget inn på 1 enhet.')
  assert.equal(nb('settings.sessionsCount', { count: 2 }), 'Du er logget inn på 2 enheter.')
  assert.equal(nn('settings.sessionsCount', { count: 1 }), 'Du er logga inn på 1 eining.')
  assert.equal(en('settings.sessionsCount', { count: 0 }), 'You are logged in on 0 devices.')
  assert.equal(en('common.formErrors', { count: 3 }), 'The form has 3 errors. Correct them and try again:')
  assert.equal(en('editorial.waited.hours', { n: 1 }), '1 hour')
  assert.equal(en('editorial.waited.hours', { n: 5 }), '5 hours')
  assert.equal(nb('editorial.waited.hours', { n: 1 }), '1 time')
  assert.equal(nn('editorial.waited.hours', { n: 3 }), '3 timar')
  assert.equal(en('login.throttled', { minutes: 1 }), 'Too many failed attempts. Try again in 1 minute.')
  assert.equal(nb('search.seeAll.post', { count: 1 }), 'Se 1 innlegg')
  assert.equal(nb('search.seeAll.post', { count: 1200 }), 'Se alle 1\u00a0200 innlegg', 'the number as the language writes it')
  assert.equal(en('diff.skipped', { lines: 1 }), '… 1 unchanged line …')
})

test('every plural message has a form for every number in every language (no syntax left over)', () => {
  for (const lang of ['nb', 'nn', 'en'] as const) {
    const t = translator(lang)
    for (const key of catalogKeys(lang).filter((k) => translator('nb')(k as never).includes('plural,'))) {
      const params = { count: 1, n: 1, minutes: 1, days: 1, lines: 1, months: 1, name: 'x', title: 'x', from: 'x', to: 'x' }
      for (const n of [0, 1, 2, 21, 1000]) {
        const text = t(key as never, { ...params, count: n, n, minutes: n, days: n, lines: n, months: n })
        assert.doesNotMatch(text, /plural,|#|\{/, `${lang}:${key} n=${n}: ${text}`)
      }
    }
  }
})

test('user administration: a role line in words, «Opprett bruker», a Norwegian link label, invited people shown as waiting', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const form = await c.get('/admin/users/new')
  assert.doesNotMatch(form.body, /✓/)
  assert.match(form.body, /Alle er medarbeidere/)
  assert.match(form.body, /<button type="submit" class="primary">Opprett bruker<\/button>/)
  const created = await c.post('/admin/users/new', { username: 'ola', displayName: 'Ola Nordmann' })
  assert.equal(created.statusCode, 200)
  assert.match(created.body, /<label class="visually-hidden" for="invite_link">Invitasjonslenke<\/label>/)
  const ola = await app.db.selectFrom('users').select('id').where('username', '=', 'ola').executeTakeFirstOrThrow()
  assert.match((await c.get('/admin/users')).body, /<td>Invitert – venter<\/td>/)
  assert.match((await c.get(`/admin/users/${ola.id}`)).body, /<dd>Invitert – venter<\/dd>/)
  const link = /\/invite\/([A-Za-z0-9_-]+)/.exec(created.body)![1]!
  const ola2 = new Client(app)
  await ola2.post(`/invite/${link}`, { password: 'olas gode passord', passwordConfirm: 'olas gode passord' }, { from: `/invite/${link}` })
  const list = await c.get('/admin/users')
  assert.doesNotMatch(list.body, /Invitert – venter/, 'the invitation is taken: active')
  assert.match((await c.get(`/admin/users/${ola.id}`)).body, /<dd>Aktiv<\/dd>/)
  assert.match((await c.get(`/admin/users/${admin.id}`)).body, /<dd>Aktiv<\/dd>/, 'an account made with a password is active')
})
