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
after(() => op.close())

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
