import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

test('without JavaScript a destructive action asks first, and acts only on yes', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const c = await loggedIn(app, user)
  await c.post('/micro', { body: 'Skal slettes' }, { from: '/micro' })
  const { id } = await app.db.selectFrom('micro_posts').select('id').executeTakeFirstOrThrow()
  const page = await c.get(`/micro/${id}`)
  assert.match(page.body, /name="_confirm" value="ask"/, 'the delete form asks')

  const asked = await c.post(`/micro/${id}/delete`, { _confirm: 'ask', _question: 'micro.deleteConfirm', next: '/micro' })
  assert.equal(asked.statusCode, 200)
  assert.match(asked.body, /<h1>Er du sikker\?<\/h1>/)
  assert.match(asked.body, /name="_confirm" value="yes"/)
  assert.match(asked.body, /name="next" value="\/micro"/, 'the form’s own fields are sent again')
  let row = await app.db.selectFrom('micro_posts').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.deleted_at, null, 'nothing changed yet')

  const yes = await c.post(`/micro/${id}/delete`, { _confirm: 'yes', next: '/micro' })
  assert.equal(yes.statusCode, 303)
  row = await app.db.selectFrom('micro_posts').select('deleted_at').where('id', '=', id).executeTakeFirstOrThrow()
  assert.notEqual(row.deleted_at, null)
})

test('the question is one of ours, never text from the request', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const c = await loggedIn(app, user)
  await c.get('/settings')
  const res = await c.post('/settings/logout-all', { _confirm: 'ask', _question: '<script>alert(1)</script>' })
  const odd = await c.app.inject({
    method: 'POST', url: '/settings/logout-all', payload: `_csrf=${encodeURIComponent(c.csrf())}&_confirm=ask`,
    headers: { cookie: [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', referer: 'http://[' },
  })
  assert.equal(odd.statusCode, 200, 'a malformed Referer does not break the page')
  assert.match(odd.body, /href="\/"/)
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Handlingen kan ikke angres/)
  assert.doesNotMatch(res.body, /<script>alert/)
  assert.equal((await c.get('/settings')).statusCode, 200, 'still logged in: nothing happened')
})
