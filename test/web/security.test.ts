import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

test('every page carries a strict CSP and security headers', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app)
  const res = await new Client(app).get('/login')
  const csp = String(res.headers['content-security-policy'])
  assert.match(csp, /default-src 'self'/)
  assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts')
  assert.match(csp, /object-src 'none'/)
  assert.match(csp, /base-uri 'none'/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.equal(res.headers['referrer-policy'], 'same-origin')
  assert.doesNotMatch(res.body, /<script>|onclick=|style="/, 'no inline script or style in our HTML')
})

test('a state change without a valid CSRF token is refused with a proper page', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const missing = await c.post('/admin/users/new', { username: 'eve', displayName: 'Eve' }, { csrf: false })
  assert.equal(missing.statusCode, 403)
  assert.match(missing.body, /Skjemaet var utløpt eller ble sendt fra et annet nettsted/)
  assert.match(missing.body, /<html lang="nb">/)
  const forged = await c.post('/admin/users/new', { username: 'eve', displayName: 'Eve' }, { csrf: 'forged-token' })
  assert.equal(forged.statusCode, 403)
  // A token from before login is useless after it (bound to the session).
  const anon = new Client(app)
  await anon.get('/login')
  const preLoginToken = anon.csrf()
  await anon.login(admin.username, admin.password)
  const stale = await anon.post('/admin/users/new', { username: 'eve', displayName: 'Eve' }, { csrf: preLoginToken })
  assert.equal(stale.statusCode, 403)
  const rows = await app.db.selectFrom('users').select('username').where('username', '=', 'eve').execute()
  assert.equal(rows.length, 0)
})

test('error pages are proper pages in the reader’s language, without stack traces', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  await makeUser(app)
  const nb = await new Client(app).get('/no/such/page')
  assert.equal(nb.statusCode, 404)
  assert.match(nb.body, /<h1>Fant ikke siden<\/h1>/)
  const nn = await new Client(app, { 'accept-language': 'nn' }).get('/no/such/page')
  assert.match(nn.body, /<html lang="nn">/)
  assert.match(nn.body, /Fann ikkje sida/)
  const en = await new Client(app, { 'accept-language': 'en-GB' }).get('/no/such/page')
  assert.match(en.body, /Page not found/)
  // Only canonical ids are ids: anything else is a page that does not exist.
  assert.equal((await new Client(app).get('/admin/users/not-a-number')).statusCode, 404)
  const bad2 = await (await loggedIn(app, await makeUser(app, { role: 'admin' }))).get('/?before=' + 'x'.repeat(200))
  assert.equal(bad2.statusCode, 400)
  assert.match(bad2.body, /Noe var galt med forespørselen/)
  assert.doesNotMatch(bad2.body, /at .*\.ts:\d+/)
})

test('the language choice is kept in a cookie and follows the user', async (t) => {
  const app = await buildTestApp(t)
  const user = await makeUser(app)
  const c = new Client(app)
  await c.get('/language')
  const res = await c.post('/language', { lang: 'en', next: '/login' })
  assert.equal(res.statusCode, 303)
  const login = await c.get('/login')
  assert.match(login.body, /<html lang="en">/)
  assert.match(login.body, /Log in/)
  await c.login(user.username, user.password)
  await c.post('/language', { lang: 'nn', next: '/' }, { from: '/language' })
  const row = await app.db.selectFrom('users').select('language').where('id', '=', user.id).executeTakeFirstOrThrow()
  assert.equal(row.language, 'nn')
})

test('internal mode: everything but login needs a session; health is open', async (t) => {
  const app = await buildTestApp(t)
  await makeUser(app)
  const c = new Client(app)
  const home = await c.get('/settings?x=1')
  assert.equal(home.statusCode, 303)
  assert.equal(home.headers.location, '/login?next=%2Fsettings%3Fx%3D1')
  const health = await c.get('/healthz')
  assert.equal(health.statusCode, 200)
  assert.deepEqual(JSON.parse(health.body), { status: 'ok', database: true, writable: true })
})

test('request bodies over the limit are refused', async (t) => {
  const app = await buildTestApp(t, { BODY_LIMIT_BYTES: '2048' })
  await makeUser(app)
  const c = new Client(app)
  await c.get('/login')
  const res = await c.post('/login', { identifier: 'x'.repeat(5000), password: 'y' })
  assert.equal(res.statusCode, 413)
  assert.match(res.body, /For stor forespørsel/)
})

test('invitation tokens and feed keys in URLs never reach the log', async (t) => {
  const { redactUrl } = await import('../../src/web/log-url.js')
  assert.equal(redactUrl('/invite/s3cretT0ken'), '/invite/[redacted]')
  assert.equal(redactUrl('/editorial/feed.xml?key=abc123&x=1'), '/editorial/feed.xml?key=[redacted]&x=1')
  assert.equal(redactUrl('/feed.atom?lang=nb&KEY=abc'), '/feed.atom?lang=nb&KEY=[redacted]')
  assert.equal(redactUrl('/posts/invite/x?monkey=1'), '/posts/invite/x?monkey=1')
  // The application's logger writes requests through it.
  const pino = (await import('pino')).default
  const app = await buildTestApp(t)
  const serializers = (app.log as unknown as Record<symbol, Record<string, (r: unknown) => { url: string }>>)[pino.symbols.serializersSym]
  const fakeReq = { method: 'GET', url: '/invite/s3cretT0ken', host: 'localhost', ip: '127.0.0.1', socket: { remotePort: 1 } }
  assert.equal(serializers!.req!(fakeReq).url, '/invite/[redacted]')
})
