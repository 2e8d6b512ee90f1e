import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { verifyAuditChain } from '../../src/audit/chain.js'
import { createUser, reinvite, setActive, setRoles } from '../../src/users/service.js'
import { ForbiddenError } from '../../src/errors.js'

test('an employee and an editor get 403 on every admin page and action', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  for (const role of ['employee', 'editor'] as const) {
    const c = await loggedIn(app, await makeUser(app, { role }))
    for (const url of ['/admin/users', '/admin/users/new', `/admin/users/${admin.id}`, '/admin/settings']) {
      assert.equal((await c.get(url)).statusCode, 403, `${role} GET ${url}`)
    }
    await c.get('/settings')
    for (const url of ['/admin/users/new', `/admin/users/${admin.id}/roles`, `/admin/users/${admin.id}/deactivate`, `/admin/users/${admin.id}/reactivate`, `/admin/users/${admin.id}/invite`, '/admin/settings']) {
      const res = await c.post(url, { username: 'x', displayName: 'x', isAdmin: 'on', visibility: 'public', queueReminderDays: '3' })
      assert.equal(res.statusCode, 403, `${role} POST ${url}`)
    }
  }
  const admins = await app.db.selectFrom('users').select('id').where('is_admin', '=', 1).execute()
  assert.equal(admins.length, 1)
})

test('an admin creates a user with an invitation; the person sets a password and logs in', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const bad = await c.post('/admin/users/new', { username: 'Ugyldig Navn', displayName: '', email: 'not-an-email' }, { from: '/admin/users/new' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /Brukernavnet kan bare ha små bokstaver/)
  assert.match(bad.body, /Skriv navnet som skal vises/)
  assert.match(bad.body, /Skriv en gyldig e-postadresse/)
  assert.match(bad.body, /value="Ugyldig Navn"/, 'input kept')
  assert.match(bad.body, /aria-describedby="f_username-hint f_username-error"/)

  const res = await c.post('/admin/users/new', { username: 'siri', displayName: 'Siri Sørensen', email: 'siri@example.no', isEditor: 'on' }, { from: '/admin/users/new' })
  assert.equal(res.statusCode, 200)
  const link = /\/invite\/([A-Za-z0-9_-]+)/.exec(res.body)![1]!
  const invitee = new Client(app)
  const page = await invitee.get(`/invite/${link}`)
  assert.match(page.body, /Hei, Siri Sørensen!/)
  const short = await invitee.post(`/invite/${link}`, { password: 'kort', passwordConfirm: 'kort' })
  assert.equal(short.statusCode, 422)
  const done = await invitee.post(`/invite/${link}`, { password: 'siris gode passord', passwordConfirm: 'siris gode passord' }, { from: `/invite/${link}` })
  assert.equal(done.statusCode, 303)
  assert.equal((await invitee.get('/settings')).statusCode, 200)
  assert.equal((await new Client(app).get(`/invite/${link}`)).statusCode, 404, 'a link works once')

  const list = await c.get('/admin/users?q=sør')
  assert.match(list.body, /siri/)
  const none = await c.get('/admin/users?q=zzzz')
  assert.match(none.body, /Ingen brukere passer med søket/)
  assert.equal((await verifyAuditChain(app.db)).ok, true)
})

test('the last admin cannot be demoted or deactivated; another admin can be', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const demote = await c.post(`/admin/users/${admin.id}/roles`, {}, { from: `/admin/users/${admin.id}` })
  assert.equal(demote.statusCode, 409)
  assert.match(demote.body, /Den siste aktive administratoren/)
  assert.match(demote.body, /role="alert"[^>]*>[^<]*<p>Den siste aktive administratoren/, 'said on the account\'s own page')
  assert.match(demote.body, new RegExp(`action="/admin/users/${admin.id}/roles"`))
  const deactivate = await c.post(`/admin/users/${admin.id}/deactivate`, {}, { from: `/admin/users/${admin.id}` })
  assert.equal(deactivate.statusCode, 409)
  const second = await makeUser(app, { role: 'admin' })
  assert.equal((await c.post(`/admin/users/${second.id}/deactivate`, {}, { from: `/admin/users/${second.id}` })).statusCode, 303)
  assert.equal((await c.post(`/admin/users/${second.id}/reactivate`, {}, { from: `/admin/users/${second.id}` })).statusCode, 303)
  const row = await app.db.selectFrom('users').select('is_active').where('id', '=', second.id).executeTakeFirstOrThrow()
  assert.equal(row.is_active, 1)
  const events = await app.db.selectFrom('audit_events').select('action').where('subject_id', '=', second.id).orderBy('id').execute()
  assert.deepEqual(events.map((e) => e.action), ['user.create', 'user.deactivate', 'user.reactivate'])
})

test('site settings: admins change visibility; the change is audited and takes effect', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const bad = await c.post('/admin/settings', { visibility: 'public', queueReminderDays: 'many' }, { from: '/admin/settings' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /Skriv et helt tall fra 1 til 60/)
  const ok = await c.post('/admin/settings', { visibility: 'public', fourEyes: 'on', queueReminderDays: '5' }, { from: '/admin/settings' })
  assert.equal(ok.statusCode, 303)
  const s = await app.settings.get()
  assert.equal(s.visibility, 'public')
  assert.equal(s.queueReminderDays, 5)
  assert.equal((await new Client(app).get('/')).statusCode, 200, 'public mode: the front page is open')
  const audit = await app.db.selectFrom('audit_events').select('action').where('action', '=', 'settings.update').execute()
  assert.equal(audit.length, 1)
})

test('profile pages show name and roles; unknown users get 404', async (t) => {
  const app = await buildTestApp(t)
  const u = await makeUser(app, { username: 'bjorn', displayName: 'Bjørn Ødegård', role: 'editor' })
  const c = await loggedIn(app, u)
  const res = await c.get('/users/bjorn')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Bjørn Ødegård/)
  assert.match(res.body, /Redaktør/)
  assert.equal((await c.get('/users/nobody')).statusCode, 404)
  const saved = await c.post('/settings/profile', { displayName: 'Bjørn\u202e Ø.\u200b', email: '', bio: 'Jobber med IKT.', language: 'nn' }, { from: '/settings' })
  assert.equal(saved.statusCode, 303)
  const name = (await app.db.selectFrom('users').select('display_name').where('id', '=', u.id).executeTakeFirstOrThrow()).display_name
  assert.equal(name, 'Bjørn Ø.', 'direction overrides and zero-width spaces are taken out of names')
  const after = await c.get('/users/bjorn')
  assert.match(after.body, /Jobber med IKT\./)
  assert.match(after.body, /<html lang="nn">/)

  // "Same as the browser" wins over a language picked earlier on the footer's language page.
  await c.post('/language', { lang: 'nn', next: '/' }, { from: '/language' })
  const browser = await c.post('/settings/profile', { displayName: 'Bjørn Ø.', email: '', bio: '', language: '' }, { from: '/settings' })
  assert.equal(browser.statusCode, 303)
  assert.equal(c.cookies.has('lang'), false, 'the language cookie is cleared')
  assert.match((await c.get('/users/bjorn', { 'accept-language': 'en' })).body, /<html lang="en">/)
})

test('the account services refuse a non-admin actor even without the route guard', async (t) => {
  const app = await buildTestApp(t)
  const employee = await makeUser(app)
  const other = await makeUser(app)
  const actor = { id: employee.id, username: employee.username, displayName: 'x', email: null, isEditor: true, isAdmin: false, language: null, sessionId: 's' }
  await assert.rejects(setRoles(app.db, actor, other.id, { isEditor: true, isAdmin: true }), ForbiddenError)
  await assert.rejects(setActive(app.db, actor, other.id, false), ForbiddenError)
  await assert.rejects(reinvite(app.db, actor, other.id), ForbiddenError)
  await assert.rejects(createUser(app.db, actor, { username: 'sneaky', displayName: 'S', isEditor: false, isAdmin: true }), ForbiddenError)
  const row = await app.db.selectFrom('users').select(['is_admin', 'is_active']).where('id', '=', other.id).executeTakeFirstOrThrow()
  assert.deepEqual(row, { is_admin: 0, is_active: 1 })
})
