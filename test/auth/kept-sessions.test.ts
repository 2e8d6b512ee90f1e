// Sessions kept in memory between requests (src/auth/kept-sessions.ts): a session ended anywhere,
// by any process, ends on the next page here; a kept copy never outlives what it was read from.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp } from '../../src/app.js'
import { KeptSessions } from '../../src/auth/kept-sessions.js'
import { resumeSession, startSession } from '../../src/auth/sessions.js'
import { buildTestApp, dataEnv, duringTransaction, testConfig } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'

/**
 * Two instances on one database; Kari logged in through the first, her session kept there (two
 * pages), and the same browser's cookies in a client of the second.
 */
async function keptHereSeenThere(t: TestContext) {
  const first = await buildTestApp(t)
  const second = await buildApp(testConfig(first.config.dataDir, dataEnv(first)))
  t.after(() => second.close())
  const kari = await makeUser(first, { displayName: 'Kari Leser' })
  const here = await loggedIn(first, kari)
  for (let i = 0; i < 2; i++) assert.match((await here.get('/settings')).body, /Kari Leser/)
  const there = new Client(second)
  for (const [k, v] of here.cookies) there.cookies.set(k, v)
  return { first, second, here, there }
}

test('a session ended in another instance ends on the next page here: logout, and every device of a person', async (t) => {
  const { first, second, here, there } = await keptHereSeenThere(t)
  const ola = await makeUser(first, { displayName: 'Ola Skriver' })

  // The same browser's next request reaches the other instance (a load balancer), and logs out there.
  assert.equal((await there.post('/logout', {}, { from: '/settings' })).statusCode, 303)
  const after = await here.get('/settings')
  assert.equal(after.statusCode, 303, 'the session kept here is gone')
  assert.match(String(after.headers.location), /^\/login/)

  // "Log out of all devices" in the other instance ends the session of a phone that only ever used this one.
  const phone = await loggedIn(first, ola)
  const laptop = await loggedIn(second, ola)
  for (let i = 0; i < 2; i++) assert.match((await phone.get('/settings')).body, /Ola Skriver/)
  assert.equal((await laptop.post('/settings/logout-all', {}, { from: '/settings' })).statusCode, 303)
  assert.equal((await phone.get('/settings')).statusCode, 303)
})

test('a session ended elsewhere is not taken from memory while this process holds a transaction', async (t) => {
  const { first, here, there } = await keptHereSeenThere(t)
  assert.equal((await there.post('/settings/logout-all', {}, { from: '/settings' })).statusCode, 303)
  // A job here opens a transaction before any request read the change log (on SQLite the change
  // feed cannot read it then): the request in the middle must still find the session gone.
  const res = await duringTransaction(first, () => here.get('/settings'), 100)
  assert.equal(res.statusCode, 303)
  assert.match(String(res.headers.location), /^\/login/)
})

test('a kept session is read again when it would need a touch, so one kept alive elsewhere is not judged idle', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, {})
  const sessions = new KeptSessions(app.changes)
  const t0 = Date.now()
  const at = (ms: number) => new Date(t0 + ms)
  const token = await startSession(app.db, app.config, kari.id, { ip: null, userAgent: null }, at(0))
  // As a request does: every change committed so far taken in (PostgreSQL's arrive by themselves).
  const synced = async () => { await app.changes.catchUp?.(); return app.changes.sync() }
  const kept = async () => ({ sessions, seen: await synced() })
  const id = (await resumeSession(app.db, app.config, token, at(1_000), await kept()))!.sessionId
  assert.ok(sessions.get(id), 'kept after the first read')

  // Another process kept the session alive (it touches last_seen_at, which logs no change) …
  const idle = app.config.sessionIdleMinutes * 60_000
  const later = new Date(t0 + idle - 1_000).toISOString()
  await app.db.updateTable('sessions').set({ last_seen_at: later }).where('id', '=', id).execute()
  await synced()
  assert.ok(sessions.get(id), 'a touch does not drop the kept copy')
  // … so past the idle limit of the kept copy, the session is read again, found alive and touched.
  const user = await resumeSession(app.db, app.config, token, at(idle + 61_000), await kept())
  assert.equal(user?.id, kari.id)
  const row = await app.db.selectFrom('sessions').select('last_seen_at').where('id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.last_seen_at, at(idle + 61_000).toISOString())

  // A change to any account (a role, deactivation) drops every kept session; deactivation ends it.
  await app.db.updateTable('users').set({ is_active: 0 }).where('id', '=', kari.id).execute()
  await synced()
  assert.equal(sessions.get(id), undefined)
  assert.equal(await resumeSession(app.db, app.config, token, at(idle + 62_000), await kept()), undefined)
  assert.equal((await app.db.selectFrom('sessions').select('id').where('id', '=', id).execute()).length, 0)
})
