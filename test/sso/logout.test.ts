// Logout: RP-initiated at the provider, back-channel from the provider, and the browser journey
// (sign in through the provider, editor by the groups claim, sign out). The app listens on a fixed
// loopback port so the provider can call it back.
import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { launchBrowser, newContext } from '../helpers/browser.js'
import { followProvider, startProvider, type TestProvider } from '../helpers/oidc-provider.js'
import { ssoEnv } from './env.js'
import { checkLogoutClaims } from '../../src/sso/client.js'

let op: TestProvider
let port = 0
let base = ''
let browser: Browser
before(async () => {
  const probe = http.createServer()
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
  port = (probe.address() as AddressInfo).port
  await new Promise<void>((r) => probe.close(() => r()))
  base = `http://127.0.0.1:${port}`
  ;[op, browser] = await Promise.all([startProvider([base]), launchBrowser()])
})
after(() => Promise.all([op?.close(), browser?.close()])) // (a name pattern that skips every test skips before() too)

async function listeningApp(t: TestContext) {
  const app = await buildTestApp(t, { ...ssoEnv(op.issuer), BASE_URL: base })
  await makeUser(app, { role: 'admin', username: 'admin' })
  await app.listen({ host: '127.0.0.1', port })
  return app
}

test('a back-channel logout from the provider ends that person\'s session; a bad logout token is refused', async (t) => {
  const app = await listeningApp(t)
  op.autoLogin = 'ola'
  const c = new Client(app)
  const jar = new Map<string, string>()
  const start = await c.get('/sso/login')
  assert.equal((await c.get(await followProvider(String(start.headers.location), base, jar))).statusCode, 303)
  assert.equal((await c.get('/settings')).statusCode, 200)

  // The person signs out at the provider (from another application): the provider tells us.
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = await (await fetch(`${op.issuer}/session/end`, { headers: { cookie } })).text()
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1]
  assert.ok(xsrf, form)
  const confirmed = await fetch(`${op.issuer}/session/end/confirm`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ xsrf, logout: 'yes' }),
  })
  assert.ok(confirmed.status < 400)
  for (let i = 0; i < 50 && (await c.get('/settings')).statusCode === 200; i++) await new Promise((r) => setTimeout(r, 100))
  const after = await c.get('/settings')
  assert.equal(after.statusCode, 303, 'the session is gone')
  assert.equal(Number((await app.db.selectFrom('sso_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0)

  for (const body of ['', 'logout_token=not.a.jwt']) {
    const res = await app.inject({ method: 'POST', url: '/sso/backchannel-logout', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(res.json(), { error: 'invalid_request' })
  }
})

test('logout tokens: the event is required, a nonce forbidden, sid or sub needed', () => {
  const events = { 'http://schemas.openid.net/event/backchannel-logout': {} }
  assert.deepEqual(checkLogoutClaims({ events, sid: 's1' }), { sid: 's1', sub: undefined })
  assert.throws(() => checkLogoutClaims({ sid: 's1' }), /event/)
  assert.throws(() => checkLogoutClaims({ events, sid: 's1', nonce: 'n' }), /nonce/)
  assert.throws(() => checkLogoutClaims({ events }), /sid nor sub/)
})

test('journey: sign in through the provider, become editor by the groups claim, sign out there too', async (t) => {
  const app = await listeningApp(t)
  op.autoLogin = null
  const ctx = await newContext(t, browser)
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.getByRole('link', { name: 'Logg inn med Trondheim kommune' }).click()
  await page.fill('#login', 'kari')
  await page.click('button[type=submit]')
  await page.waitForURL((u) => u.origin === base && !u.pathname.startsWith('/login') && !u.pathname.startsWith('/sso'))
  await page.locator('.user-menu a[href="/editorial"]').waitFor({ state: 'attached' }) // in the user menu
  const kari = await app.db.selectFrom('users').selectAll().where('username', '=', 'kari.nordmann').executeTakeFirstOrThrow()
  assert.equal(kari.is_editor, 1)
  assert.equal((await page.goto(base + '/editorial'))?.status(), 200)

  await page.click('.user-menu summary')
  await page.getByRole('button', { name: 'Logg ut' }).click()
  await page.waitForURL((u) => u.origin === op.issuer)
  await page.getByRole('button', { name: 'Yes, sign me out' }).click()
  await page.waitForURL((u) => u.origin === base && u.pathname === '/login')
  await page.getByText('Du er logget ut.').waitFor()
  assert.equal(Number((await app.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', kari.id).executeTakeFirstOrThrow()).n), 0)
})
