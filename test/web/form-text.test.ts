// One rule for every text field of every form: invalid UTF-8 is a clear 400 page in the reader's
// language; control characters are removed the same way everywhere; limits count code points.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { type Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { writePost } from '../posts/helpers.js'

function rawPost(c: Client, url: string, payload: string | Buffer) {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  return c.app.inject({ method: 'POST', url, payload, headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } })
}

test('invalid UTF-8 in a form body is a 400 page in the site language, nothing stored', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  for (const [lang, text] of [['nb', /ugyldig tegnkoding|ugyldig teiknkoding/], ['en', /invalid character encoding/]] as const) {
    c.cookies.set('lang', lang)
    await c.get('/micro')
    const token = encodeURIComponent(c.csrf())
    const escaped = await rawPost(c, '/micro', `_csrf=${token}&body=abc%80def`)
    assert.equal(escaped.statusCode, 400)
    assert.match(escaped.body, text)
    assert.match(escaped.body, new RegExp(`<html lang="${lang}">`))
    const raw = await rawPost(c, '/micro', Buffer.concat([Buffer.from(`_csrf=${token}&body=abc`), Buffer.from([0xc3, 0x28])]))
    assert.equal(raw.statusCode, 400)
  }
  assert.equal((await app.db.selectFrom('micro_posts').select('id').execute()).length, 0)
})

test('control characters are removed alike in titles, updates and names', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const dirty = 'A\u0000B\u0085C\u001bD\u202eE'
  const { res, id } = await writePost(c, { title: dirty, body: `Tekst ${dirty}` })
  assert.equal(res.statusCode, 303)
  const post = await app.db.selectFrom('posts').select(['title', 'body_md']).where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(post.title, 'ABCDE')
  assert.equal(post.body_md, 'Tekst ABCDE')

  const micro = await c.post('/micro', { body: dirty }, { from: '/micro' })
  assert.equal(micro.statusCode, 303, 'NUL is no reason to refuse an update')
  const update = await app.db.selectFrom('micro_posts').select('body').executeTakeFirstOrThrow()
  assert.equal(update.body, 'ABCDE')

  const profile = await c.post('/settings/profile', { displayName: `Kari ${dirty}`, email: '', bio: '' }, { from: '/settings' })
  assert.equal(profile.statusCode, 303)
  const user = await app.db.selectFrom('users').select('display_name').where('id', '=', kari.id).executeTakeFirstOrThrow()
  assert.equal(user.display_name, 'Kari ABCDE')
})

test('a name of one letter and 500 combining marks is a form error beside the field, not a 400', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const c = await loggedIn(app, kari)
  const res = await c.post('/settings/profile', { displayName: 'a' + '\u0301'.repeat(500), email: '', bio: '' }, { from: '/settings' })
  assert.equal(res.statusCode, 422)
  assert.match(res.body, /Navnet kan ha høyst 80 tegn/)
})
