// Every way a sign-in through the provider can fail: a clear page in the person's language, nothing
// created (no account, no session, no cookie), the pending login used up.
import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { CLIENT_ID, CLIENT_SECRET, followProvider, startFakeIssuer, startProvider, type TestProvider } from '../helpers/oidc-provider.js'
import { ssoEnv } from './env.js'

const BASE = 'http://localhost:3000'
let op: TestProvider
let fake: Awaited<ReturnType<typeof startFakeIssuer>>
before(async () => { [op, fake] = await Promise.all([startProvider([BASE]), startFakeIssuer()]) })
after(() => Promise.all([op?.close(), fake?.close()])) // (a name pattern that skips every test skips before() too)

async function ssoApp(t: TestContext, issuer = op.issuer) {
  const app = await buildTestApp(t, ssoEnv(issuer))
  await makeUser(app, { role: 'admin', username: 'admin' })
  return app
}

const counts = async (app: FastifyInstance) => ({
  users: Number((await app.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  sessions: Number((await app.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  identities: Number((await app.db.selectFrom('sso_identities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
})

function assertRefused(res: LightMyRequestResponse, status: number, text: RegExp) {
  assert.equal(res.statusCode, status, res.body.slice(0, 500))
  assert.match(res.body, text)
  assert.ok(!res.cookies.some((c) => c.name === 'betablogg' && c.value), 'no session cookie')
  assert.equal(res.headers['cache-control'], 'no-store')
}

async function startAt(c: Client) {
  const start = await c.get('/sso/login')
  assert.equal(start.statusCode, 303, start.body)
  return new URL(String(start.headers.location))
}

test('the provider unreachable: a page in the person\'s language, and password login still works', async (t) => {
  // A provider that drops every connection (kept open: a port just closed could be taken by another
  // test's server meanwhile, one that never answers).
  const closed = net.createServer((socket) => socket.destroy())
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => closed.close(() => r())))
  const port = (closed.address() as AddressInfo).port
  const app = await ssoApp(t, `http://127.0.0.1:${port}`)
  const before = await counts(app)
  const nb = await new Client(app).get('/sso/login')
  assertRefused(nb, 502, /Vi fikk ikke kontakt med innloggingstjenesten/)
  const english = new Client(app)
  english.cookies.set('lang', 'en')
  const en = await english.get('/sso/login')
  assert.match(en.body, /We could not reach the sign-in service/)
  const nn = await new Client(app, { 'accept-language': 'nn' }).get('/sso/login')
  assert.match(nn.body, /Vi fekk ikkje kontakt med innloggingstenesta/)
  assert.deepEqual(await counts(app), before)
  const login = await new Client(app).get('/login')
  assert.match(login.body, /Logg inn med Trondheim kommune/)
  assert.match(login.body, /name="password"/)
})

test('a missing or wrong state is refused; the pending login is used up', async (t) => {
  const app = await ssoApp(t)
  const before = await counts(app)
  assertRefused(await new Client(app).get('/sso/callback?code=abc&state=xyz'), 400, /startet et annet sted/)

  op.autoLogin = 'ola'
  const c = new Client(app)
  const callback = await followProvider((await startAt(c)).href, BASE)
  const wrong = callback.replace(/state=[^&]+/, 'state=not-the-state')
  assertRefused(await c.get(wrong), 400, /Start innloggingen på nytt/)
  assertRefused(await c.get(callback), 400, /startet et annet sted/) // the right state, but the login was used up
  assert.deepEqual(await counts(app), before)
})

test('a replayed callback, and a code someone else redeemed first, are refused', async (t) => {
  const app = await ssoApp(t)
  op.autoLogin = 'ola'
  const c = new Client(app)
  const callback = await followProvider((await startAt(c)).href, BASE)
  assert.equal((await c.get(callback)).statusCode, 303)
  const afterFirst = await counts(app)
  const cookies = new Map(c.cookies)
  const replay = new Client(app)
  for (const [k, v] of cookies) if (k !== 'betablogg') replay.cookies.set(k, v)
  assertRefused(await replay.get(callback), 400, /Start innloggingen på nytt/)

  // Someone who got hold of the code (and the verifier) redeems it before the browser comes back.
  const c2 = new Client(app)
  const callback2 = await followProvider((await startAt(c2)).href, BASE)
  const pending = await app.db.selectFrom('sso_pending').selectAll().executeTakeFirstOrThrow()
  const code = new URL(callback2, BASE).searchParams.get('code')!
  const stolen = await fetch(`${op.issuer}/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${BASE}/sso/callback`, code_verifier: pending.code_verifier, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  })
  assert.equal(stolen.status, 200)
  assertRefused(await c2.get(callback2), 400, /Innloggingskoden var ugyldig eller allerede brukt/)
  assert.deepEqual(await counts(app), afterFirst)
})

for (const [mode, what] of [['expired', 'an expired'], ['forged', 'a forged'], ['issuer', 'another issuer\'s'], ['audience', 'another audience\'s']] as const) {
  test(`${what} ID token is refused`, async (t) => {
    const app = await ssoApp(t, fake.issuer)
    const before = await counts(app)
    const c = new Client(app)
    const authorize = await startAt(c)
    fake.mode = mode
    fake.nonce = authorize.searchParams.get('nonce')!
    const res = await c.get(`/sso/callback?code=fake&state=${authorize.searchParams.get('state')}`)
    assertRefused(res, 400, /Svaret fra innloggingstjenesten kunne ikke bekreftes/)
    assert.deepEqual(await counts(app), before)
  })
}

test('the fake issuer\'s good token is accepted (the refusals above are about the token alone)', async (t) => {
  const app = await ssoApp(t, fake.issuer)
  const c = new Client(app)
  const authorize = await startAt(c)
  fake.mode = 'good'
  fake.nonce = authorize.searchParams.get('nonce')!
  const res = await c.get(`/sso/callback?code=fake&state=${authorize.searchParams.get('state')}`)
  assert.equal(res.statusCode, 303, res.body)
})

test('an unverified e-mail and an e-mail outside the allowed domains are refused', async (t) => {
  const app = await ssoApp(t)
  const before = await counts(app)
  for (const [account, text] of [['unverified', /ikke bekreftet/], ['outsider', /domene som ikke har tilgang/]] as const) {
    op.autoLogin = account
    const c = new Client(app)
    const callback = await followProvider((await startAt(c)).href, BASE)
    assertRefused(await c.get(callback), 403, text)
  }
  assert.deepEqual(await counts(app), before)
})

test('the guarded outgoing client: a provider on loopback is not called unless OUTGOING_ALLOW_PRIVATE lists it', async (t) => {
  const app = await buildTestApp(t, ssoEnv(op.issuer, { OUTGOING_ALLOW_PRIVATE: 'intern-proxy.example' }))
  await makeUser(app, { role: 'admin', username: 'admin' })
  const before = await counts(app)
  assertRefused(await new Client(app).get('/sso/login'), 502, /Vi fikk ikke kontakt med innloggingstjenesten/)
  assert.deepEqual(await counts(app), before)
  // Listed: the same provider answers (the discovery goes through and the browser is sent there).
  const allowed = await ssoApp(t)
  const start = await new Client(allowed).get('/sso/login')
  assert.equal(start.statusCode, 303, start.body.slice(0, 300))
  assert.ok(String(start.headers.location).startsWith(op.issuer))
})
