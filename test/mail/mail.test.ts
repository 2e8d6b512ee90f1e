import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import type { ParsedMail } from 'mailparser'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, PASSWORD } from '../helpers/users.js'
import { eventually, TestSmtp } from '../helpers/smtp.js'
import { insertPost } from '../comments/helpers.js'
import { notify } from '../../src/notifications/service.js'
import { DIGEST_HOUR, enqueueDailyDigests, enqueueWeeklyDigests } from '../../src/mail/digests.js'
import { updateProfile } from '../../src/users/service.js'

const outbox = (app: FastifyInstance) => app.db.selectFrom('outbox').selectAll().orderBy('id').execute()
/** A header as it was sent (mailparser folds the List-* headers into one object). */
const header = (m: ParsedMail, name: string) => {
  const line = m.headerLines.find((h) => h.key === name)?.line ?? ''
  return line.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim()
}
const linkIn = (m: ParsedMail, path: string) => {
  const found = new RegExp(`http://localhost:3000(${path}[^\\s"<]*)`).exec(m.text ?? '')
  assert.ok(found, `a link to ${path} in the text part`)
  return found[1]!
}
/** Settles the queue: a few more polls, so a second copy would have been sent by now. */
const settle = () => new Promise((r) => setTimeout(r, 250))

async function setup(t: import('node:test').TestContext, env: Record<string, string> = {}) {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env(env))
  return { smtp, app }
}

test('a mention by e-mail at once, in the person\'s language, threaded by post; one-click unsubscribe', async (t) => {
  const { smtp, app } = await setup(t)
  const author = await makeUser(app, { username: 'forfatter' })
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const per = await makeUser(app, { username: 'per', email: 'per@example.test', displayName: 'Per Hansen' })
  await updateProfile(app.db, kari.id, { displayName: 'Kari', email: 'kari@example.test', bio: '', language: 'en' })
  const post = await insertPost(app, author.id, { title: 'Ny kantine' })
  const c = await loggedIn(app, per)
  await c.get('/micro')
  assert.equal((await c.post('/comments', { postId: String(post.id), parentId: '', body: 'Hva mener @kari?' })).statusCode, 303)

  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.subject, 'Per Hansen mentioned you in a comment on “Ny kantine”')
  assert.deepEqual((mail!.to as { value: { address: string }[] }).value.map((v) => v.address), ['kari@example.test'])
  assert.match(mail!.text ?? '', /Open in Betablogg/, 'English, as Kari chose')
  assert.match(String(mail!.html), /<html lang="en">/)
  assert.match(String(mail!.html), /<h1[^>]*>Per Hansen/)
  assert.equal(mail!.inReplyTo, `<post-${post.id}@localhost>`, 'in the post\'s thread')
  assert.match(String(mail!.references), new RegExp(`post-${post.id}@localhost`))
  assert.match(mail!.messageId ?? '', /^<[0-9a-f]{32}@localhost>$/)
  assert.equal(header(mail!, 'list-unsubscribe-post'), 'List-Unsubscribe=One-Click')
  const unsub = /^<http:\/\/localhost:3000(\/unsubscribe\/[^>]+)>$/.exec(header(mail!, 'list-unsubscribe'))
  assert.ok(unsub, 'List-Unsubscribe names the one-click URL')
  assert.ok(mail!.text?.includes(unsub[1]!), 'the same link is in the text for people')

  // The page asks (a link checker's GET changes nothing); one POST without cookies or CSRF does it.
  const anon = new Client(app)
  const ask = await anon.get(unsub[1]!)
  assert.equal(ask.statusCode, 200)
  assert.match(ask.body, /Vil du slutte å få varsler når noen nevner meg/)
  assert.equal((await app.db.selectFrom('mail_preferences').selectAll().execute()).length, 0)
  const tampered = await app.inject({ method: 'POST', url: unsub[1]!.slice(0, -2) + 'xx', payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(tampered.statusCode, 404)
  const oneClick = await app.inject({ method: 'POST', url: unsub[1]!, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  assert.equal(oneClick.statusCode, 200)
  const pref = await app.db.selectFrom('mail_preferences').selectAll().where('user_id', '=', kari.id).execute()
  assert.deepEqual(pref.map((p) => [p.kind, p.mode]), [['mention', 'site']])
  // The page's own button does the same, and says so.
  const button = await anon.post(unsub[1]!, {}, { csrf: false })
  assert.equal(button.statusCode, 200)
  assert.match(button.body, /Ferdig: du får ikke lenger varsler når noen nevner meg/)

  // The next mention is in the site only.
  await c.get('/micro')
  await c.post('/comments', { postId: String(post.id), parentId: '', body: 'Igjen, @kari' })
  await settle()
  assert.equal(smtp.received.length, 1)
  assert.equal((await outbox(app)).length, 1)
  assert.equal((await app.db.selectFrom('notifications').select('id').where('user_id', '=', kari.id).execute()).length, 2)
})

/** The first moment from now on when it is past the digest hour in Oslo: now in the day, the coming morning at night. */
function pastDigestHour(): Date {
  const osloHour = (d: Date) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' }).format(d))
  const t = new Date(Date.now() + 1000)
  while (osloHour(t) < DIGEST_HOUR) t.setTime(t.getTime() + 10 * 60_000)
  return t
}

test('settings: four choices per kind with e-mail; the rest goes to the daily digest, once per day', async (t) => {
  const { smtp, app } = await setup(t)
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const per = await makeUser(app, { username: 'per' })
  const c = await loggedIn(app, kari)
  const page = await c.get('/settings/notifications')
  assert.match(page.body, /name="mode_mention" value="email" checked/)
  assert.match(page.body, /name="mode_post.comment" value="digest" checked/)
  assert.match(page.body, /<legend>noen nevner meg med @brukernavn<\/legend>/)
  assert.doesNotMatch(page.body, /name="mode_moderation.hidden" value="off"/, 'a mandatory kind cannot be turned off')
  assert.match(page.body, /id="weekly" name="weekly" value="on" checked/)
  // Likes: e-mail at once; replies: off.
  const saved = await c.post('/settings/notifications', { 'mode_micro.like': 'email', 'mode_micro.reply': 'off', 'mode_mention': 'email', weekly: 'on' }, { from: '/settings/notifications' })
  assert.equal(saved.statusCode, 303)
  assert.equal((await c.post('/settings/notifications', { 'mode_editorial.submitted': 'email' }, { from: '/settings/notifications' })).statusCode, 409, 'editor kinds are for editors')

  const tell = (kind: 'post.comment' | 'micro.reply' | 'comment.reply', id: number) => notify(app.db, kari.id, { kind, actorId: per.id, subjectType: 'comment', subjectId: id, data: { title: 'Kantina', slug: 'kantina', snippet: `svar ${id}` } })
  await tell('post.comment', 1)
  await tell('comment.reply', 2)
  await tell('micro.reply', 3) // off: not even in the site
  await settle()
  assert.equal(smtp.received.length, 0, 'digest kinds wait')
  assert.equal((await app.db.selectFrom('notifications').select('id').where('user_id', '=', kari.id).execute()).length, 2)

  const morning = pastDigestHour()
  const queued = await enqueueDailyDigests(app.db, morning)
  assert.equal(queued, 1)
  assert.equal(await enqueueDailyDigests(app.db, morning), 0, 'once per day')
  const [digest] = await smtp.waitFor(1)
  assert.match(digest!.subject ?? '', /Betablogg: 2 nye varsler/)
  assert.match(digest!.text ?? '', /kommenterte innlegget ditt «Kantina»: «svar 1»/)
  assert.match(digest!.text ?? '', /svarte på kommentaren din til «Kantina»: «svar 2»/)
  assert.match(String(digest!.html), /<ul>/)
  assert.match(header(digest!, 'list-unsubscribe'), /unsubscribe/)
  await settle()
  assert.equal(smtp.received.length, 1)
})

test('weekly e-mail of the site\'s new posts', async (t) => {
  const { smtp, app } = await setup(t)
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const off = await makeUser(app, { username: 'ola', email: 'ola@example.test' })
  await app.db.insertInto('mail_preferences').values({ user_id: off.id, kind: 'weekly', mode: 'off' }).execute()
  await makeUser(app, { username: 'noaddress' })
  await insertPost(app, kari.id, { title: 'Velferdsteknologi i praksis' })
  await insertPost(app, kari.id, { title: 'Et utkast', status: 'draft' })
  // The first Monday 07:00 UTC (08:00 or 09:00 in Oslo) after now: the post just written is in the
  // week before it, whatever day and hour the test runs (on a Monday before 07:00, that is today).
  const now = new Date()
  const d = new Date(now)
  d.setUTCHours(7, 0, 0, 0)
  d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7))
  if (d <= now) d.setUTCDate(d.getUTCDate() + 7)
  assert.equal(await enqueueWeeklyDigests(app.db, new Date(d.getTime() - 86_400_000)), 0, 'only on Mondays')
  assert.equal(await enqueueWeeklyDigests(app.db, d), 1, 'not to those who turned it off or have no address')
  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.subject, 'Nytt på Betablogg siste uke')
  assert.match(mail!.text ?? '', /Velferdsteknologi i praksis/)
  assert.doesNotMatch(mail!.text ?? '', /Et utkast/)
})

test('an invitation by e-mail beside the copyable link; either works once, then both are spent', async (t) => {
  const { smtp, app } = await setup(t)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const res = await c.post('/admin/users/new', { username: 'nyansatt', displayName: 'Ny Ansatt', email: 'ny@example.test', password: '', passwordConfirm: '' }, { from: '/admin/users/new' })
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Invitasjonen er også sendt på e-post til ny@example.test/)
  const copied = /value="http:\/\/localhost:3000(\/invite\/[^"]+)"/.exec(res.body)![1]!

  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.subject, 'Du er invitert til Betablogg')
  assert.match(mail!.text ?? '', /Brukernavnet ditt er nyansatt/)
  assert.equal(header(mail!, 'list-unsubscribe'), '', 'an invitation is not a mailing list')
  const mailed = linkIn(mail!, '/invite/')
  assert.notEqual(mailed, copied)
  const invitee = new Client(app)
  assert.equal((await invitee.get(mailed)).statusCode, 200)
  const accepted = await invitee.post(mailed, { password: 'en helt ny og lang frase', passwordConfirm: 'en helt ny og lang frase' })
  assert.equal(accepted.statusCode, 303)
  assert.equal((await new Client(app).get(copied)).statusCode, 404, 'the copied link is spent too')
  const hashes = await app.db.selectFrom('invitations').select('token_hash').execute()
  assert.ok(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.token_hash)), 'only hashes are stored')
})

test('forgotten password: same answer for any address, a single-use expiring link, sessions ended, audited, throttled', async (t) => {
  const { smtp, app } = await setup(t)
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const old = await loggedIn(app, kari)
  const anon = new Client(app)
  assert.match((await anon.get('/login')).body, /href="\/password\/forgot"/)

  const known = await anon.post('/password/forgot', { email: 'Kari@Example.test' }, { from: '/password/forgot' })
  const unknown = await anon.post('/password/forgot', { email: 'nobody@example.test' }, { from: '/password/forgot' })
  assert.equal(known.statusCode, 303)
  assert.deepEqual([unknown.statusCode, unknown.headers.location], [known.statusCode, known.headers.location])
  assert.match((await anon.get(String(known.headers.location))).body, /Hvis adressen hører til en konto/)
  const empty = await anon.post('/password/forgot', { email: ' ' }, { from: '/password/forgot' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /Skriv e-postadressen din/)

  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.subject, 'Nytt passord for Betablogg')
  const link = linkIn(mail!, '/password/reset/')
  const stored = await app.db.selectFrom('password_resets').selectAll().execute()
  assert.equal(stored.length, 1)
  assert.ok(!stored[0]!.token_hash.includes(link.split('/').pop()!), 'stored as a hash')

  const form = await anon.get(link)
  assert.equal(form.statusCode, 200)
  const mismatch = await anon.post(link, { password: 'en helt ny og lang frase', passwordConfirm: 'noe annet' })
  assert.equal(mismatch.statusCode, 422)
  const done = await anon.post(link, { password: 'en helt ny og lang frase', passwordConfirm: 'en helt ny og lang frase' })
  assert.equal(done.statusCode, 303)
  assert.equal(done.headers.location, '/login?reset=1')
  assert.match(String((await old.get('/notifications')).headers.location), /^\/login/, 'the old session has ended')
  assert.equal((await anon.get(link)).statusCode, 404, 'single use')
  await new Client(app).login('kari', 'en helt ny og lang frase')
  const audit = await app.db.selectFrom('audit_events').select(['action', 'actor_id']).where('subject_id', '=', kari.id).where('action', 'like', 'user.password-reset%').orderBy('id').execute()
  assert.deepEqual(audit.map((a) => a.action), ['user.password-reset-requested', 'user.password-reset-by-email'])

  // An expired link is refused.
  await anon.post('/password/forgot', { email: 'kari@example.test' }, { from: '/password/forgot' })
  const [, second] = await smtp.waitFor(2)
  await app.db.updateTable('password_resets').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute()
  assert.equal((await anon.get(linkIn(second!, '/password/reset/'))).statusCode, 404)

  // Throttled: at most 3 links an hour per address, silently (the same answer).
  for (let i = 0; i < 3; i++) {
    const r = await anon.post('/password/forgot', { email: 'kari@example.test' }, { from: '/password/forgot' })
    assert.equal(r.statusCode, 303)
  }
  await settle()
  assert.equal((await app.db.selectFrom('password_resets').select('id').execute()).length, 3)
  void PASSWORD
})

test('without mail configured: no e-mail options anywhere, nothing queued, everything else works', async (t) => {
  const app = await buildTestApp(t)
  const admin = await makeUser(app, { role: 'admin' })
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const anon = new Client(app)
  assert.doesNotMatch((await anon.get('/login')).body, /password\/forgot/)
  assert.equal((await anon.get('/password/forgot')).statusCode, 404)
  const c = await loggedIn(app, kari)
  const prefs = await c.get('/settings/notifications')
  assert.match(prefs.body, /name="kinds" value="mention" checked/)
  assert.doesNotMatch(prefs.body, /mode_|e-post/i)
  await notify(app.db, kari.id, { kind: 'mention', actorId: admin.id, subjectType: 'micro', subjectId: 1 })
  const a = await loggedIn(app, admin)
  const res = await a.post('/admin/users/new', { username: 'ny', displayName: 'Ny', email: 'ny@example.test', password: '', passwordConfirm: '' }, { from: '/admin/users/new' })
  assert.equal(res.statusCode, 200)
  assert.doesNotMatch(res.body, /sendt på e-post/)
  assert.equal((await outbox(app)).length, 0)
  assert.equal((await a.get('/admin/outbox')).statusCode, 200)
})
