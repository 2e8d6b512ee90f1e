// Issue 14: the invitation e-mail offers what the invitation page offers. With password login off
// (single sign-on only) it asks for no password: it says to log in with the provider's account that has
// this address, and its link is that sign-in — or, when no sign-in may take an account over, to ask an
// administrator. Administrators who keep their password (OIDC_ADMIN_LOCAL_LOGIN) are asked to choose one.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { ParsedMail } from 'mailparser'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { TestSmtp } from '../helpers/smtp.js'
import { startProvider, type TestProvider } from '../helpers/oidc-provider.js'
import { ssoEnv } from './env.js'

const BASE = 'http://localhost:3000'
let op: TestProvider
before(async () => { op = await startProvider([BASE]) })
after(() => op?.close()) // (a name pattern that skips every test skips before() too)

const text = (m: ParsedMail) => m.text ?? ''

test('password login off: the invitation e-mail leads to the provider\'s sign-in, in the person\'s language; no password asked for', async (t) => {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env(ssoEnv(op.issuer, { OIDC_EDITOR_GROUPS: '', OIDC_ADMIN_GROUPS: '', OIDC_ADMIN_LOCAL_LOGIN: 'true' })))
  const admin = await makeUser(app, { role: 'admin', username: 'admin' })
  const a = await loggedIn(app, admin)
  await app.settings.update({ localLogin: false }, null)

  const created = await a.post('/admin/users/new', { username: 'kno', displayName: 'Kari Nordmann', email: 'kari.nordmann@trondheim.kommune.no', isEditor: 'on' }, { from: '/admin/users/new' })
  assert.equal(created.statusCode, 200, created.body.slice(0, 300))
  assert.match(created.body, /Invitasjonen er også sendt på e-post til kari.nordmann@trondheim.kommune.no/)
  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.subject, 'Du er invitert til Betablogg')
  assert.match(text(mail!), /Brukernavnet ditt er kno\. Her logger du inn med Trondheim kommune, ikke med eget passord\./)
  assert.match(text(mail!), /Logg inn med Trondheim kommune-kontoen som har e-postadressen kari\.nordmann@trondheim\.kommune\.no/)
  assert.doesNotMatch(text(mail!), /Velg passord|passord med lenken|\/invite\//, 'no password to choose, no password link')
  assert.match(text(mail!), /^Logg inn med Trondheim kommune:\nhttp:\/\/localhost:3000\/sso\/login\?next=%2F$/m)
  assert.match(String(mail!.html), /<a href="http:\/\/localhost:3000\/sso\/login\?next=%2F"[^>]*>Logg inn med Trondheim kommune<\/a>/)
  const page = await new Client(app).get(/\/invite\/[\w-]+/.exec(created.body)![0])
  assert.match(page.body, /href="\/sso\/login\?next=%2F"[^>]*>Logg inn med Trondheim kommune</, 'the same sign-in the invitation page offers')
  // The link starts the provider's sign-in.
  const start = await new Client(app).get('/sso/login?next=%2F')
  assert.equal(start.statusCode, 303)
  assert.ok(String(start.headers.location).startsWith(op.issuer), String(start.headers.location))
  assert.equal((await app.db.selectFrom('invitations').select('id').execute()).length, 1, 'no e-mailed password link was made')

  // Nynorsk and English, as the person chose.
  const kno = await app.db.selectFrom('users').select('id').where('username', '=', 'kno').executeTakeFirstOrThrow()
  const reinvite = async (language: string | null) => {
    await app.db.updateTable('users').set({ language }).where('id', '=', kno.id).execute()
    const before = smtp.received.length
    assert.equal((await a.post(`/admin/users/${kno.id}/invite`, {}, { from: `/admin/users/${kno.id}` })).statusCode, 200)
    return (await smtp.waitFor(before + 1))[before]!
  }
  const nn = await reinvite('nn')
  assert.match(text(nn), /Brukarnamnet ditt er kno\. Her loggar du inn med Trondheim kommune, ikkje med eige passord\./)
  assert.match(text(nn), /Første gongen blir han kopla til kontoen din/)
  assert.match(text(nn), /^Logg inn med Trondheim kommune:$/m)
  const en = await reinvite('en')
  assert.equal(en.subject, 'You are invited to Betablogg')
  assert.match(text(en), /Your username is kno\. Here you log in with Trondheim kommune, not with a password of your own\./)
  assert.match(text(en), /^Log in with Trondheim kommune:\nhttp:\/\/localhost:3000\/sso\/login\?next=%2F$/m)
  assert.doesNotMatch(text(en), /Choose a password/)

  // No sign-in may take an account over: the e-mail says so, as the page does, and has no link.
  await app.settings.update({ ssoClaim: false, ssoLink: false }, null)
  const stuck = await reinvite(null)
  assert.match(text(stuck), /Kontoer som er opprettet på forhånd, kobles ikke til Trondheim kommune nå\. Be en administrator om hjelp\./)
  assert.doesNotMatch(text(stuck), /sso\/login|\/invite\/|Velg passord/)
  await app.settings.update({ ssoClaim: true }, null)

  // An administrator keeps a password (OIDC_ADMIN_LOCAL_LOGIN): chooses one, as the page asks.
  const before = smtp.received.length
  await a.post('/admin/users/new', { username: 'ada', displayName: 'Ada Admin', email: 'ada@trondheim.kommune.no', isAdmin: 'on' }, { from: '/admin/users/new' })
  const adminMail = (await smtp.waitFor(before + 1))[before]!
  assert.match(text(adminMail), /Velg passord med lenken nedenfor/)
  assert.match(text(adminMail), /^Velg passord:\nhttp:\/\/localhost:3000\/invite\/[\w-]+$/m)

  // Password login on again: the invitation asks for a password as before.
  await app.settings.update({ localLogin: true }, null)
  const again = await reinvite(null)
  assert.match(text(again), /^Velg passord:\nhttp:\/\/localhost:3000\/invite\/[\w-]+$/m)
  assert.doesNotMatch(text(again), /Trondheim kommune-kontoen/)
})
