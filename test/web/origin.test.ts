// A state change with a valid CSRF token is still refused when the browser says it came from another
// site (Origin or Sec-Fetch-Site), in addition to the token.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

test('a valid token from another origin or a cross-site fetch is refused with 403', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const cases: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'http://localhost:80.evil.example' },
  ]
  for (const headers of cases) {
    await c.get('/admin/users/new')
    const token = c.csrf()
    const forged = new Client(app, headers)
    for (const [k, v] of c.cookies) forged.cookies.set(k, v)
    const res = await forged.post('/admin/users/new', { username: 'eve', displayName: 'Eve' }, { csrf: token })
    assert.equal(res.statusCode, 403, JSON.stringify(headers))
    assert.match(res.body, /sendt fra et annet nettsted/)
  }
  assert.equal((await app.db.selectFrom('users').select('id').where('username', '=', 'eve').execute()).length, 0)

  // The same form from our own pages goes through.
  const own = new Client(app, { origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })
  for (const [k, v] of c.cookies) own.cookies.set(k, v)
  const ok = await own.post('/admin/users/new', { username: 'eve', displayName: 'Eve' }, { from: '/admin/users/new' })
  assert.notEqual(ok.statusCode, 403)
  const viaBaseUrl = new Client(app, { origin: app.config.baseUrl, 'sec-fetch-site': 'none' })
  for (const [k, v] of c.cookies) viaBaseUrl.cookies.set(k, v)
  const ok2 = await viaBaseUrl.post('/logout', {}, { from: '/settings' })
  assert.equal(ok2.statusCode, 303)
})
