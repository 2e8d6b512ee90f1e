// Common and easily guessed passwords are refused wherever a password is chosen (setup, invitation,
// password change, command line), with the reason beside the field in the reader's language.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { buildTestApp, makeTempDir } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { runCli } from '../../src/cli/main.js'
import { passwordStrength, trustPasswordForTests } from '../../src/auth/password-strength.js'

// Here every password goes through the estimator, the test accounts' too (helpers/users trusts it);
// trusted again after each test, for the files that run after this one in the same process.
function estimatorForEveryPassword(t: TestContext) {
  trustPasswordForTests(undefined)
  t.after(() => trustPasswordForTests(PASSWORD))
}

const WEAK = ['Passord123', '1234567890', 'qwertyuiop', 'aaaaaaaaaaaa', 'trondheim2024', 'sommer2025!']

test('the estimator refuses common passwords and keeps good passphrases', (t) => {
  estimatorForEveryPassword(t)
  for (const p of WEAK) assert.ok(passwordStrength(p), `${p} should be refused`)
  for (const p of [PASSWORD, 'et godt passord for bloggen', 'Gl0ggen-på-Bakklandet-fredag']) assert.equal(passwordStrength(p), undefined, p)
  assert.equal(passwordStrength('karinordmann', ['kari', 'Kari Nordmann']), 'password.weak.personal', 'the person\'s own name is easy to guess')
})

test('setup refuses Passord123 with the reason beside the field, in each language', async (t) => {
  estimatorForEveryPassword(t)
  const app = await buildTestApp(t)
  for (const [lang, text] of [['nb', /lett å gjette/], ['nn', /lett å gjette/], ['en', /easy to guess/]] as const) {
    const c = new Client(app)
    c.cookies.set('lang', lang)
    const res = await c.post('/setup', { username: 'admin', displayName: 'Admin', password: 'Passord123', passwordConfirm: 'Passord123' }, { from: '/setup' })
    assert.equal(res.statusCode, 422, lang)
    assert.match(res.body, text)
    assert.match(res.body, /id="f_password-error"/)
    assert.match(res.body, /value="admin"/, 'input kept')
  }
  assert.equal((await app.db.selectFrom('users').select('id').execute()).length, 0)
})

test('invitation and password change refuse 1234567890', async (t) => {
  estimatorForEveryPassword(t)
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const created = await c.post('/admin/users/new', { username: 'siri', displayName: 'Siri', email: 'siri@example.no' }, { from: '/admin/users/new' })
  const link = /\/invite\/([A-Za-z0-9_-]+)/.exec(created.body)![1]!
  const invitee = new Client(app)
  const weak = await invitee.post(`/invite/${link}`, { password: '1234567890', passwordConfirm: '1234567890' }, { from: `/invite/${link}` })
  assert.equal(weak.statusCode, 422)
  assert.match(weak.body, /mye brukt passord|lett å gjette/)

  const change = await c.post('/settings/password', { currentPassword: PASSWORD, password: '1234567890', passwordConfirm: '1234567890' }, { from: '/settings' })
  assert.equal(change.statusCode, 422)
  assert.match(change.body, /mye brukt passord|lett å gjette/)
})

test('the command line refuses a weak password with the reason', async (t) => {
  estimatorForEveryPassword(t)
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir, SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
  const err: string[] = []
  const io = { out: () => {}, err: (l: string) => err.push(l), readStdin: async () => 'Passord123\n', promptSecret: async () => undefined }
  assert.equal(await runCli(['user', 'add', 'kari', '--password-stdin'], env, io), 1)
  assert.match(err.join('\n'), /password: .*easy to guess/)
})
