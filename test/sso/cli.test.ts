import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import { runCli } from '../../src/cli/main.js'
import { makeTempDir } from '../helpers/app.js'
import { SettingsStore } from '../../src/settings/store.js'
import { loadConfig } from '../../src/config.js'
import { openDatabase } from '../../src/db/database.js'

test('break-glass: `sso password-login on|off` switches password login and is audited', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir, SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
  const out: string[] = []
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), readStdin: async () => '', promptSecret: async () => undefined }
  assert.equal(await runCli(['sso', 'password-login', 'maybe'], env, io), 2)
  assert.equal(await runCli(['sso', 'password-login', 'off'], env, io), 0)
  const read = async () => {
    const database = openDatabase(loadConfig(env).databaseFile)
    try {
      const s = await new SettingsStore(database.db, loadConfig(env)).get()
      const audit = await database.db.selectFrom('audit_events').select('to_state').where('action', '=', 'settings.update').execute()
      return { localLogin: s.localLogin, audit: audit.map((a) => a.to_state) }
    } finally { await database.close() }
  }
  assert.deepEqual(await read(), { localLogin: false, audit: ['{"localLogin":false}'] })
  assert.equal(await runCli(['sso', 'password-login', 'on'], env, io), 0)
  assert.equal((await read()).localLogin, true)
  assert.match(out.join('\n'), /Password login is on/)
})

test('OIDC_* variables are checked at start-up, every problem at once', () => {
  assert.throws(() => loadConfig({ OIDC_ISSUER: 'http://idp.example.com', OIDC_SCOPES: 'profile', OIDC_ALLOWED_EMAIL_DOMAINS: 'not a domain' }), (err: Error) => {
    for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_SCOPES', 'OIDC_ALLOWED_EMAIL_DOMAINS']) assert.match(err.message, new RegExp(name))
    return true
  })
  assert.equal(loadConfig({}).oidc, null, 'without OIDC_ISSUER single sign-on is off')
  const c = loadConfig({ OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0', OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 's', OIDC_EDITOR_GROUPS: 'a, b' })
  assert.deepEqual(c.oidc?.editorGroups, ['a', 'b'])
  assert.equal(c.oidc?.buttonLabel, 'login.microsoftonline.com')
  assert.throws(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'z'.repeat(40), BASE_URL: 'https://b.example', OIDC_ISSUER: 'http://127.0.0.1:9000', OIDC_CLIENT_ID: 'id', OIDC_CLIENT_SECRET: 's' }), /OIDC_ISSUER/)
})
