import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'

test('logs in with username or e-mail, rotates the session and logs out', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app, { username: 'kari', email: 'Kari@Example.no' })
  const c = new Client(app)
  await c.get('/login')
  c.cookies.set('betablogg', 'stale-session-id')
  const res = await c.post('/login', { identifier: 'kari@example.no', password: PASSWORD, next: '/settings' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/settings')
  const cookie = res.cookies.find((x) => x.name === 'betablogg')!
  assert.ok(cookie.httpOnly)
  assert.equal(cookie.sameSite, 'Lax')
  assert.notEqual(cookie.value, 'stale-session-id')
  const settings = await c.get('/settings')
  assert.equal(settings.statusCode, 200)
  assert.match(settings.body, /Test kari/)
  assert.equal(settings.headers['cache-control'], 'no-store')

  const out = await c.post('/logout', {})
  assert.equal(out.statusCode, 303)
  const after = await c.get('/settings')
  assert.equal(after.statusCode, 303)
  assert.match(String(after.headers.location), /^\/login/)
  void user
})

test('a wrong password and an unknown user get the same answer', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app, { username: 'ola' })
  const c = new Client(app)
  const wrong = await c.post('/login', { identifier: 'ola', password: 'not the password' }, { from: '/login' })
  const unknown = await c.post('/login', { identifier: 'nobody', password: 'not the password' }, { from: '/login' })
  assert.equal(wrong.statusCode, 401)
  assert.equal(unknown.statusCode, 401)
  assert.match(wrong.body, /Feil brukernavn, e-postadresse eller passord/)
  assert.match(unknown.body, /Feil brukernavn, e-postadresse eller passord/)
  assert.match(wrong.body, /value="ola"/, 'the identifier is kept in the form')
  assert.doesNotMatch(wrong.body, /not the password/, 'the password is never echoed')
})

test('a next= redirect after login never leaves the site', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example/', '/%2F%2Fevil.example', '/\t/evil.example', '/.//evil.example', '/a/..//evil.example', '/%2e%2e//evil.example']) {
    const c = new Client(app)
    const res = await c.post('/login', { identifier: user.username, password: PASSWORD, next }, { from: '/login' })
    assert.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), `${next} → ${location}`)
    assert.ok(!location.includes('evil.example') || location.startsWith('/%2F'), `${next} → ${location}`)
  }
})

test('login is throttled after repeated failures and the lock lifts', async (t) => {
  const app = await buildTestApp(t, { LOGIN_MAX_FAILURES: '3', LOGIN_WINDOW_MINUTES: '15' })
  const user = await makeUser(app)
  const c = new Client(app)
  for (let i = 0; i < 3; i++) {
    const res = await c.post('/login', { identifier: user.username, password: 'wrong password!' }, { from: '/login' })
    assert.equal(res.statusCode, 401)
  }
  const blocked = await c.post('/login', { identifier: user.username, password: PASSWORD }, { from: '/login' })
  assert.equal(blocked.statusCode, 429, 'even the right password is refused while locked')
  assert.match(blocked.body, /For mange mislykkede forsøk/)
  assert.ok(Number(blocked.headers['retry-after']) > 0)
  // Age the failures past the window: the real person gets in again.
  await app.db.updateTable('login_failures').set({ at: new Date(Date.now() - 16 * 60_000).toISOString() }).execute()
  const ok = await c.post('/login', { identifier: user.username, password: PASSWORD }, { from: '/login' })
  assert.equal(ok.statusCode, 303)
})

test('a deactivated user cannot log in, and is logged out at the next request', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const user = await makeUser(app)
  const session = await loggedIn(app, user)
  const adminClient = await loggedIn(app, admin)
  const res = await adminClient.post(`/admin/users/${user.id}/deactivate`, {}, { from: `/admin/users/${user.id}` })
  assert.equal(res.statusCode, 303)
  const next = await session.get('/settings')
  assert.equal(next.statusCode, 303, 'the old session no longer works')
  const again = await new Client(app).post('/login', { identifier: user.username, password: PASSWORD }, { from: '/login' })
  assert.equal(again.statusCode, 403)
  assert.match(again.body, /deaktivert/)
})
