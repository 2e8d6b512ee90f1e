// Refusals are logged at warn with actor id, action, object id and UTC time, and no secrets.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import { buildApp } from '../../src/app.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { writePost } from '../posts/helpers.js'

test('403, hiding 404, CSRF, cross-site, failed and throttled logins are logged with who and what', async (t) => {
  const dir = await makeTempDir()
  const lines: Record<string, unknown>[] = []
  const stream = new PassThrough()
  stream.on('data', (chunk: Buffer) => { for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l)) })
  const app = await buildApp(testConfig(dir, { LOG_LEVEL: 'warn', LOGIN_MAX_FAILURES: '1' }), { logStream: stream })
  t.after(async () => { await app.close(); await fs.rm(dir, { recursive: true, force: true }) })
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const ck = await loggedIn(app, kari)
  const cp = await loggedIn(app, per)
  const { id } = await writePost(ck, { title: 'Karis utkast' })

  assert.equal((await cp.get('/admin/users')).statusCode, 403)
  assert.equal((await cp.get(`/posts/${id}/edit`)).statusCode, 404)
  assert.equal((await cp.post('/settings/logout-all', {}, { csrf: false })).statusCode, 403)
  const evil = new Client(app, { origin: 'https://evil.example' })
  for (const [k, v] of cp.cookies) evil.cookies.set(k, v)
  assert.equal((await evil.post('/settings/logout-all', {}, { from: '/settings' })).statusCode, 403)
  const anon = new Client(app)
  assert.equal((await anon.post('/login', { identifier: kari.username, password: 'wrong password 1' }, { from: '/login' })).statusCode, 401)
  assert.equal((await anon.post('/login', { identifier: kari.username, password: PASSWORD }, { from: '/login' })).statusCode, 429)
  await new Promise((r) => setImmediate(r))

  const refusals = lines.filter((l) => l.refusal)
  const find = (reason: string) => refusals.find((l) => l.refusal === reason)
  const forbidden = find('forbidden')!
  assert.equal(forbidden.level, 40, 'warn')
  assert.equal(forbidden.actorId, per.id)
  assert.equal(forbidden.action, 'GET /admin/users')
  assert.match(String(forbidden.at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  const hidden = find('hidden')!
  assert.equal(hidden.actorId, per.id)
  assert.equal(hidden.objectId, String(id))
  assert.equal(hidden.action, 'GET /posts/:id/edit')
  assert.equal(find('csrf')?.actorId, per.id)
  assert.equal(find('cross-site')?.actorId, per.id)
  assert.equal(find('login-failed')?.status, 401)
  assert.equal(find('throttled')?.status, 429)
  const all = lines.map((l) => JSON.stringify(l)).join('\n')
  for (const secret of [PASSWORD, 'wrong password 1', ...cp.cookies.values(), ...ck.cookies.values()]) {
    assert.ok(!all.includes(secret), `secret in log: ${secret.slice(0, 10)}`)
  }
})
