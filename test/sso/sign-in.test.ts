import { after, before, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { followProvider, startProvider, type TestProvider } from '../helpers/oidc-provider.js'
import { ssoEnv } from './env.js'

const BASE = 'http://localhost:3000'
let op: TestProvider
before(async () => { op = await startProvider([BASE]) })
after(() => op?.close()) // (a name pattern that skips every test skips before() too)

async function ssoApp(t: TestContext, extra: Record<string, string> = {}) {
  const app = await buildTestApp(t, ssoEnv(op.issuer, extra))
  const admin = await makeUser(app, { role: 'admin', username: 'admin' })
  return { app, admin }
}

/** Signs in through the provider as `account`; returns the app's answer to the callback. */
async function signIn(app: FastifyInstance, account: string, c = new Client(app)) {
  op.autoLogin = account
  const start = await c.get('/sso/login?next=/micro')
  assert.equal(start.statusCode, 303, start.body)
  const callback = await followProvider(String(start.headers.location), BASE)
  return { c, res: await c.get(callback), callback }
}

const count = async (app: FastifyInstance, table: 'users' | 'sessions' | 'sso_identities') =>
  Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

test('first sign-in creates the account just in time, with the editor role from the groups claim', async (t) => {
  const { app } = await ssoApp(t)
  const { c, res } = await signIn(app, 'kari')
  assert.equal(res.statusCode, 303, res.body)
  assert.equal(res.headers.location, '/micro')
  const user = await app.db.selectFrom('users').selectAll().where('email', '=', 'kari.nordmann@trondheim.kommune.no').executeTakeFirstOrThrow()
  assert.equal(user.username, 'kari.nordmann')
  assert.equal(user.display_name, 'Kari Nordmann')
  assert.equal(user.is_editor, 1)
  assert.equal(user.is_admin, 0)
  assert.equal(user.password_hash, null)
  const page = await c.get('/settings')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Kari Nordmann/)
  const audit = await app.db.selectFrom('audit_events').selectAll().where('subject_id', '=', user.id).where('subject_type', '=', 'user').execute()
  assert.ok(audit.some((a) => a.action === 'user.create' && a.to_state === 'employee,editor' && /single sign-on/.test(a.note ?? '')))
})

test('the next sign-in refreshes name and e-mail and follows the groups claim, each role change audited', async (t) => {
  const { app } = await ssoApp(t)
  await signIn(app, 'per') // admin group
  const per = await app.db.selectFrom('users').selectAll().where('username', '=', 'per.berg').executeTakeFirstOrThrow()
  assert.equal(per.is_admin, 1)
  await app.db.updateTable('users').set({ display_name: 'Old Name', email: 'old@trondheim.kommune.no', is_editor: 1 }).where('id', '=', per.id).execute()
  const { res } = await signIn(app, 'per')
  assert.equal(res.statusCode, 303)
  const again = await app.db.selectFrom('users').selectAll().where('id', '=', per.id).executeTakeFirstOrThrow()
  assert.equal(again.display_name, 'Per Berg')
  assert.equal(again.email, 'per.berg@trondheim.kommune.no')
  assert.equal(again.is_editor, 0, 'the editor role given locally is taken away: the groups claim decides')
  const change = await app.db.selectFrom('audit_events').selectAll().where('action', '=', 'user.roles').where('subject_id', '=', per.id).executeTakeFirstOrThrow()
  assert.equal(change.from_state, 'employee,editor,admin')
  assert.equal(change.to_state, 'employee,admin')
  assert.equal(change.actor_name, 'system')
  assert.match(change.note ?? '', /groups claim/)
  assert.equal(await count(app, 'sso_identities'), 1, 'one identity, reused')
})

test('without a group mapping roles stay administered locally', async (t) => {
  const { app } = await ssoApp(t, { OIDC_EDITOR_GROUPS: '', OIDC_ADMIN_GROUPS: '' })
  await signIn(app, 'kari')
  const kari = await app.db.selectFrom('users').selectAll().where('username', '=', 'kari.nordmann').executeTakeFirstOrThrow()
  assert.equal(kari.is_editor, 0)
  await app.db.updateTable('users').set({ is_admin: 1 }).where('id', '=', kari.id).execute()
  await signIn(app, 'kari')
  const again = await app.db.selectFrom('users').selectAll().where('id', '=', kari.id).executeTakeFirstOrThrow()
  assert.equal(again.is_admin, 1)
})

test('policy: claim an account created in advance (with its roles), link a local account only when allowed', async (t) => {
  const { app, admin } = await ssoApp(t, { OIDC_EDITOR_GROUPS: '', OIDC_ADMIN_GROUPS: '' })
  const a = new Client(app)
  await a.login(admin.username, admin.password)
  // Pre-created by the administrator: no password, an invitation, the editor role.
  const pre = await a.post('/admin/users/new', { username: 'kno', displayName: 'K. N.', email: 'kari.nordmann@trondheim.kommune.no', isEditor: 'on' }, { from: '/admin/users/new' })
  assert.equal(pre.statusCode, 200, pre.body.slice(0, 300))
  const before = await app.db.selectFrom('users').selectAll().where('username', '=', 'kno').executeTakeFirstOrThrow()
  assert.equal(before.password_hash, null)
  assert.equal((await signIn(app, 'kari')).res.statusCode, 303)
  const claimed = await app.db.selectFrom('users').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow()
  assert.equal(claimed.display_name, 'Kari Nordmann')
  assert.equal(claimed.is_editor, 1, 'the roles given in advance stay')
  const invitation = await app.db.selectFrom('invitations').selectAll().where('user_id', '=', before.id).executeTakeFirstOrThrow()
  assert.ok(invitation.used_at, 'the invitation link is spent')
  assert.equal(await count(app, 'users'), 2, 'no second account')

  // A local account with a password: refused until the administrator allows linking.
  await makeUser(app, { username: 'ola', email: 'ola.hansen@trondheim.kommune.no' })
  const refused = (await signIn(app, 'ola')).res
  assert.equal(refused.statusCode, 403)
  assert.match(refused.body, /ikke koblet til innloggingstjenesten/)
  assert.equal((await a.post('/admin/sso', { localLogin: 'on', ssoCreate: 'on', ssoClaim: 'on', ssoLink: 'on' }, { from: '/admin/sso' })).statusCode, 303)
  const linked = (await signIn(app, 'ola')).res
  assert.equal(linked.statusCode, 303, linked.body.slice(0, 300))
  const audit = await app.db.selectFrom('audit_events').select(['action', 'to_state']).where('action', '=', 'user.sso-link').execute()
  assert.deepEqual(audit.map((x) => x.to_state), ['claimed', 'linked'])
})

test('policy: no account created when just-in-time creation is off; a deactivated person cannot sign in', async (t) => {
  const { app } = await ssoApp(t)
  await app.settings.update({ ssoCreate: false }, null)
  const none = (await signIn(app, 'ola')).res
  assert.equal(none.statusCode, 403)
  assert.match(none.body, /ingen konto i Betablogg/)
  assert.equal(await count(app, 'users'), 1)

  await app.settings.update({ ssoCreate: true }, null)
  await signIn(app, 'kari')
  await app.db.updateTable('users').set({ is_active: 0 }).where('username', '=', 'kari.nordmann').execute()
  const sessions = await count(app, 'sessions')
  const refused = (await signIn(app, 'kari')).res
  assert.equal(refused.statusCode, 403)
  assert.match(refused.body, /deaktivert/)
  assert.equal(await count(app, 'sessions'), sessions)
})

test('password login off: the provider\'s button only; on again: both; break-glass for administrators', async (t) => {
  const { app, admin } = await ssoApp(t)
  const page = await new Client(app).get('/login')
  assert.ok(page.body.indexOf('Logg inn med Trondheim kommune') < page.body.indexOf('name="password"'), 'the provider comes first')
  const a = new Client(app)
  await a.login(admin.username, admin.password)
  const settings = await a.get('/admin/sso')
  assert.match(settings.body, /Tillat innlogging med brukernavn og passord/)
  assert.equal((await a.post('/admin/sso', { ssoCreate: 'on', ssoClaim: 'on' })).statusCode, 303)
  const off = await new Client(app).get('/login')
  assert.match(off.body, /Logg inn med Trondheim kommune/)
  assert.doesNotMatch(off.body, /name="password"/)
  const c = new Client(app)
  const refused = await c.post('/login', { identifier: admin.username, password: admin.password }, { from: '/language' }) // a form sent anyway
  assert.equal(refused.statusCode, 403)
  assert.match(refused.body, /Innlogging med passord er slått av/)
  const audit = await app.db.selectFrom('audit_events').selectAll().where('action', '=', 'settings.update').executeTakeFirstOrThrow()
  assert.match(audit.to_state ?? '', /"localLogin":false/)

  // On again (e.g. with `npm run cli -- sso password-login on`): the form is back.
  await app.settings.update({ localLogin: true }, null)
  const on = await new Client(app).get('/login')
  assert.match(on.body, /name="password"/)
  assert.equal((await new Client(app).login(admin.username, admin.password)).statusCode, 303)
})

test('break-glass: with OIDC_ADMIN_LOCAL_LOGIN an administrator (only) may use the password at /login?local=1', async (t) => {
  const { app, admin } = await ssoApp(t, { OIDC_ADMIN_LOCAL_LOGIN: 'true' })
  await app.settings.update({ localLogin: false }, null)
  const employee = await makeUser(app)
  assert.doesNotMatch((await new Client(app).get('/login')).body, /name="password"/)
  const c = new Client(app)
  assert.match((await c.get('/login?local=1')).body, /Bare administratorer kan logge inn her/)
  const no = await c.post('/login', { identifier: employee.username, password: employee.password })
  assert.equal(no.statusCode, 403)
  const yes = await c.post('/login', { identifier: admin.username, password: admin.password }, { from: '/login?local=1' })
  assert.equal(yes.statusCode, 303)
})

test('password login off: an invitation link asks for no password; it leads to the provider, whose sign-in takes the account over', async (t) => {
  const { app, admin } = await ssoApp(t, { OIDC_EDITOR_GROUPS: '', OIDC_ADMIN_GROUPS: '' })
  const a = new Client(app)
  await a.login(admin.username, admin.password)
  const invite = async (username: string, email: string) => {
    const res = await a.post('/admin/users/new', { username, displayName: username, email, isEditor: 'on' }, { from: '/admin/users/new' })
    assert.equal(res.statusCode, 200, res.body.slice(0, 300))
    return /\/invite\/([\w-]+)/.exec(res.body)![1]!
  }
  const token = await invite('kno', 'kari.nordmann@trondheim.kommune.no')
  await app.settings.update({ localLogin: false }, null)

  const guest = new Client(app)
  const page = await guest.get(`/invite/${token}`)
  assert.equal(page.statusCode, 200)
  assert.doesNotMatch(page.body, /type="password"/, 'no password asked for')
  assert.match(page.body, /Her logger du inn med Trondheim kommune/)
  assert.match(page.body, /e-postadressen kari\.nordmann@trondheim\.kommune\.no/)
  assert.match(page.body, /href="\/sso\/login\?next=%2F"[^>]*>Logg inn med Trondheim kommune</)
  const en = new Client(app)
  en.cookies.set('lang', 'en')
  assert.match((await en.get(`/invite/${token}`)).body, /Log in with the Trondheim kommune account that has the e-mail address/)
  assert.match((await new Client(app, { 'accept-language': 'nn' }).get(`/invite/${token}`)).body, /Her loggar du inn med Trondheim kommune/)

  // A password sent anyway is refused and not saved; the link still works.
  const sent = await guest.post(`/invite/${token}`, { password: "Fjordhest med sykkelhjelm 42", passwordConfirm: "Fjordhest med sykkelhjelm 42" }, { from: "/language" }) // a form sent anyway
  assert.equal(sent.statusCode, 403)
  assert.match(sent.body, /passordet ble ikke lagret/)
  const kno = () => app.db.selectFrom('users').selectAll().where('username', '=', 'kno').executeTakeFirstOrThrow()
  assert.equal((await kno()).password_hash, null)

  // The button: the provider's sign-in with that e-mail takes the account over, with its roles.
  const { res } = await signIn(app, 'kari', guest)
  assert.equal(res.statusCode, 303, res.body.slice(0, 300))
  assert.equal((await kno()).display_name, 'Kari Nordmann')
  assert.equal((await kno()).is_editor, 1)
  assert.equal((await guest.get(`/invite/${token}`)).statusCode, 404, 'the link is spent')

  // Taking over switched off by the administrators: the page says so and offers no button.
  const other = await invite('ola', 'ola.hansen@trondheim.kommune.no')
  await app.settings.update({ ssoClaim: false, ssoLink: false }, null)
  const stuck = await new Client(app).get(`/invite/${other}`)
  assert.match(stuck.body, /kobles ikke til Trondheim kommune nå/)
  assert.doesNotMatch(stuck.body, /sso\/login/)

  // Password login on again: the link asks for a password as before.
  await app.settings.update({ localLogin: true }, null)
  assert.match((await new Client(app).get(`/invite/${other}`)).body, /name="password"/)
})
