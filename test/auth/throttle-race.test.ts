// The login throttle holds under simultaneous guesses: each attempt is reserved in the database before
// the password is verified, and an account's username and e-mail address share one bucket.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'

async function clients(app: Parameters<typeof makeUser>[0], n: number): Promise<Client[]> {
  const out: Client[] = []
  for (let i = 0; i < n; i++) {
    const c = new Client(app)
    await c.get('/login')
    out.push(c)
  }
  return out
}

function tally(statuses: number[]) {
  return { evaluated: statuses.filter((s) => s === 401).length, throttled: statuses.filter((s) => s === 429).length }
}

test('40 simultaneous wrong passwords for one account: at most LOGIN_MAX_FAILURES evaluated, the rest 429', async (t) => {
  const app = await buildTestApp(t, { LOGIN_MAX_FAILURES: '5' })
  const user = await makeUser(app, { email: 'race@example.no' })
  const cs = await clients(app, 40)
  const res = await Promise.all(cs.map((c, i) =>
    c.post('/login', { identifier: i % 2 ? user.username : 'race@example.no', password: `wrong password ${i}` })))
  const { evaluated, throttled } = tally(res.map((r) => r.statusCode))
  assert.ok(evaluated <= 5, `evaluated ${evaluated}`)
  assert.equal(evaluated + throttled, 40)
  const ok = await (await clients(app, 1))[0]!.post('/login', { identifier: user.username, password: PASSWORD })
  assert.equal(ok.statusCode, 429, 'the real password waits for the window too')
})

test('the username and the e-mail address of one account share one bucket', async (t) => {
  const app = await buildTestApp(t, { LOGIN_MAX_FAILURES: '3' })
  const user = await makeUser(app, { email: 'shared@example.no' })
  const [c] = await clients(app, 1)
  for (const identifier of [user.username, 'SHARED@example.no', user.username]) {
    const r = await c!.post('/login', { identifier, password: 'wrong password!' }, { from: '/login' })
    assert.equal(r.statusCode, 401)
  }
  const viaEmail = await c!.post('/login', { identifier: 'shared@example.no', password: 'wrong password!' }, { from: '/login' })
  assert.equal(viaEmail.statusCode, 429)
})

test('40 simultaneous wrong logins from one address: at most 4 × LOGIN_MAX_FAILURES evaluated', async (t) => {
  const app = await buildTestApp(t, { LOGIN_MAX_FAILURES: '2' })
  await makeUser(app)
  const cs = await clients(app, 40)
  const res = await Promise.all(cs.map((c, i) => c.post('/login', { identifier: `nobody${i}`, password: 'wrong password!' })))
  const { evaluated, throttled } = tally(res.map((r) => r.statusCode))
  assert.ok(evaluated <= 8, `evaluated ${evaluated}`)
  assert.equal(evaluated + throttled, 40)
})

test('a successful login releases its own reservation', async (t) => {
  const app = await buildTestApp(t, { LOGIN_MAX_FAILURES: '1' })
  const user = await makeUser(app)
  for (let i = 0; i < 6; i++) {
    const [c] = await clients(app, 1)
    const r = await c!.post('/login', { identifier: user.username, password: PASSWORD })
    assert.equal(r.statusCode, 303, `login ${i}`)
  }
  const rows = await app.db.selectFrom('login_failures').selectAll().execute()
  assert.equal(rows.length, 0)
})
