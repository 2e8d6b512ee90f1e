import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'

test('first run leads to setup, which creates one admin and is then gone for good', async (t) => {
  const app = await buildTestApp(t)
  const c = new Client(app)
  const home = await c.get('/')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/setup')
  assert.equal((await c.get('/login')).headers.location, '/setup')
  const bad = await c.post('/setup', { username: 'admin', displayName: 'Admin', password: 'short', passwordConfirm: 'short' }, { from: '/setup' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /minst 10 tegn/)
  assert.match(bad.body, /value="admin"/)
  // Every mistake is shown at once, not the password first and the rest on the next try.
  const all = await c.post('/setup', { username: 'Ad min!', displayName: '', email: 'ikke-e-post', password: 'short', passwordConfirm: 'short' }, { from: '/setup' })
  assert.equal(all.statusCode, 422)
  for (const field of ['username', 'displayName', 'email', 'password']) assert.match(all.body, new RegExp(`id="f_${field}-error"`), field)
  const ok = await c.post('/setup', { username: 'admin', displayName: 'Admin', password: 'et godt passord', passwordConfirm: 'et godt passord' }, { from: '/setup' })
  assert.equal(ok.statusCode, 303)
  assert.equal((await c.get('/admin/users')).statusCode, 200, 'logged in as the new admin')
  const again = new Client(app)
  assert.equal((await again.get('/setup')).statusCode, 404)
  await again.get('/login')
  const reuse = await again.post('/setup', { username: 'mallory', displayName: 'M', password: 'et godt passord', passwordConfirm: 'et godt passord' })
  assert.equal(reuse.statusCode, 404)
  const users = await app.db.selectFrom('users').select(['username', 'is_admin', 'is_editor']).execute()
  assert.deepEqual(users, [{ username: 'admin', is_admin: 1, is_editor: 1 }])
})
