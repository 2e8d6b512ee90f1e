import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'

test('session ids are random, stored hashed, and expire when idle or too old', async (t) => {
  const app = await buildTestApp(t, { SESSION_IDLE_MINUTES: '30', SESSION_MAX_DAYS: '1' })
  const user = await makeUser(app)
  const c = await loggedIn(app, user)
  const token = c.cookies.get('betablogg')!
  assert.ok(Buffer.from(token, 'base64url').length >= 16, 'at least 128 random bits')
  const rows = await app.db.selectFrom('sessions').selectAll().execute()
  assert.equal(rows.length, 1)
  assert.notEqual(rows[0]!.id, token, 'only a hash is stored')

  await app.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000).toISOString() }).execute()
  assert.equal((await c.get('/settings')).statusCode, 303, 'idle too long')

  const c2 = await loggedIn(app, user)
  await app.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute()
  assert.equal((await c2.get('/settings')).statusCode, 303, 'past the absolute expiry')
  assert.equal(Number((await app.db.selectFrom('sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0, 'expired sessions are deleted')
})

test('log out of all devices ends every session', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const phone = await loggedIn(app, user)
  const laptop = await loggedIn(app, user)
  const page = await laptop.get('/settings')
  assert.match(page.body, /logget inn på 2 enheter/)
  const res = await laptop.post('/settings/logout-all', {})
  assert.equal(res.statusCode, 303)
  assert.equal((await phone.get('/settings')).statusCode, 303)
  assert.equal((await laptop.get('/settings')).statusCode, 303)
})

test('changing the password ends the other sessions but keeps this one', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const phone = await loggedIn(app, user)
  const laptop = await loggedIn(app, user)
  const wrong = await laptop.post('/settings/password', { currentPassword: 'wrong one', password: 'nytt passord her', passwordConfirm: 'nytt passord her' }, { from: '/settings' })
  assert.equal(wrong.statusCode, 422)
  assert.match(wrong.body, /Passordet er feil/)
  const mismatch = await laptop.post('/settings/password', { currentPassword: PASSWORD, password: 'nytt passord her', passwordConfirm: 'noe annet her' }, { from: '/settings' })
  assert.equal(mismatch.statusCode, 422)
  assert.match(mismatch.body, /Passordene er ikke like/)
  const ok = await laptop.post('/settings/password', { currentPassword: PASSWORD, password: 'nytt passord her', passwordConfirm: 'nytt passord her' }, { from: '/settings' })
  assert.equal(ok.statusCode, 303)
  assert.equal((await laptop.get('/settings')).statusCode, 200)
  assert.equal((await phone.get('/settings')).statusCode, 303)
  const old = await new Client(app).post('/login', { identifier: user.username, password: PASSWORD }, { from: '/login' })
  assert.equal(old.statusCode, 401)
})

test('a role change takes effect on the very next request', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const other = await makeUser(app, { role: 'admin' })
  const otherSession = await loggedIn(app, other)
  assert.equal((await otherSession.get('/admin/users')).statusCode, 200)
  const a = await loggedIn(app, admin)
  await a.post(`/admin/users/${other.id}/roles`, { isEditor: 'on' }, { from: `/admin/users/${other.id}` })
  assert.equal((await otherSession.get('/admin/users')).statusCode, 403)
})
