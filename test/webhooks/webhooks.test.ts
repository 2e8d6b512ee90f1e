// Outgoing webhooks: configured by administrators, delivered through the outbox by the real worker to
// a receiver on loopback, signed (Standard Webhooks), retried, never sent twice, and refused for
// private addresses unless the operators allow them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { loggedIn, type Client } from '../helpers/client.js'
import { eventually } from '../helpers/smtp.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { postUpdate } from '../../src/micro/service.js'
import { postComment } from '../../src/comments/service.js'
import { Receiver } from './receiver.js'

const FAST = { OUTBOX_POLL_MS: '50', OUTBOX_RETRY_BASE_MS: '100', BASE_URL: 'http://blogg.test' }

async function setup(t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const app = await buildTestApp(t, { ...FAST, ...env })
  const admin = await makeUser(app, { role: 'editor+admin', username: 'anne' })
  const author = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const editor = await makeUser(app, { role: 'editor', username: 'redaktor' })
  return { app, admin, author, editor, c: await loggedIn(app, admin) }
}

async function createHook(c: Client, form: Record<string, string | string[]>) {
  const res = await c.post('/admin/webhooks/new', { name: 'Kanal', format: 'json', events: 'post.published', active: 'on', tag: '', ...form }, { from: '/admin/webhooks/new' })
  return { res, id: Number(/\/admin\/webhooks\/(\d+)/.exec(String(res.headers.location))?.[1]) }
}

const outbox = (app: FastifyInstance) => app.db.selectFrom('outbox').selectAll().where('channel', '=', 'webhook').orderBy('id').execute()

test('a published post reaches a JSON webhook, signed; a 500 is retried, then delivered once', async (t) => {
  const receiver = await Receiver.start([500])
  t.after(() => receiver.close())
  const { app, author, editor, c } = await setup(t, { OUTGOING_ALLOW_PRIVATE: '127.0.0.1' })
  const { res, id } = await createHook(c, { url: `${receiver.url}/hook?kanal=1` })
  assert.equal(res.statusCode, 303)
  const postId = await publishedPost(app, author, editor, { title: 'Nytt om velferd', lead: 'Ingressen her', tags: 'velferd' })

  await eventually(async () => receiver.received.length >= 2, 8000, 'a retry after the 500')
  const [first, second] = receiver.received
  assert.equal(second!.path, '/hook?kanal=1')
  assert.equal(first!.headers['webhook-id'], second!.headers['webhook-id'], 'the same message id on every attempt')
  const { secret } = await app.db.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirstOrThrow()
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${second!.headers['webhook-id']}.${second!.headers['webhook-timestamp']}.${second!.body}`).digest('base64')
  assert.equal(second!.headers['webhook-signature'], `v1,${expected}`)
  assert.ok(Math.abs(Number(second!.headers['webhook-timestamp']) - Date.now() / 1000) < 60)
  const body = JSON.parse(second!.body)
  assert.equal(body.type, 'post.published')
  assert.equal(body.data.id, postId)
  assert.equal(body.data.title, 'Nytt om velferd')
  assert.equal(body.data.lead, 'Ingressen her')
  assert.match(body.data.url, /^http:\/\/blogg\.test\/posts\//)
  assert.deepEqual(body.data.author, { name: 'Kari Nordmann', url: 'http://blogg.test/users/kari' })
  assert.deepEqual(body.data.tags, ['velferd'])

  const [row] = await eventually(async () => { const rows = await outbox(app); return rows[0]?.status === 'sent' ? rows : undefined }, 4000, 'sent')
  assert.equal(row!.attempts, 2)
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(receiver.received.length, 2, 'never sent again once delivered')

  const page = await c.get(`/admin/webhooks/${id}`)
  assert.match(page.body, /HTTP 500/)
  assert.match(page.body, /HTTP 200/)
  assert.match(page.body, /failure 500/, 'the receiver’s answer is shown')
  const list = await c.get('/admin/webhooks')
  assert.match(list.body, /127\.0\.0\.1:\d+<\/code>/)
  assert.doesNotMatch(list.body, /kanal=1/, 'the list shows the host, not the address (it may hold a secret)')
})

test('Teams cards for tagged updates (filtered by tag) and Slack messages for comments', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const { app, author, editor, c } = await setup(t, { OUTGOING_ALLOW_PRIVATE: '127.0.0.1' })
  assert.equal((await createHook(c, { url: `${receiver.url}/teams`, format: 'teams', events: 'update.tagged', tag: '#Velferd' })).res.statusCode, 303)
  assert.equal((await createHook(c, { url: `${receiver.url}/slack`, format: 'slack', events: ['comment.created'] })).res.statusCode, 303)
  const kari = asCurrent(author)
  const updateId = await postUpdate(app.db, kari, { body: 'Ny app for #velferd i hjemmetjenesten' })
  await postUpdate(app.db, kari, { body: 'Lunsj i dag #kantine' })
  await postUpdate(app.db, kari, { body: 'Uten stikkord' })
  const postId = await publishedPost(app, author, editor, { title: 'Innlegg <med> & tegn' })
  await postComment(app.db, asCurrent(editor), { postId, body: 'Godt skrevet!' })

  await eventually(async () => receiver.received.length >= 2, 8000, 'two deliveries')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(receiver.received.length, 2, 'the #kantine update and the untagged one are not sent')
  const teams = JSON.parse(receiver.received.find((r) => r.path === '/teams')!.body)
  assert.equal(teams.type, 'message')
  const card = teams.attachments[0]
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive')
  assert.equal(card.content.type, 'AdaptiveCard')
  assert.equal(card.content.body[0].text, 'Oppdatering fra Kari Nordmann')
  assert.match(card.content.body.map((b: { text: string }) => b.text).join(' '), /Ny app for #velferd/)
  assert.deepEqual(card.content.actions[0], { type: 'Action.OpenUrl', title: 'Les på Betablogg', url: `http://blogg.test/micro/${updateId}` })
  const slack = JSON.parse(receiver.received.find((r) => r.path === '/slack')!.body)
  assert.match(slack.text, /^Ny kommentar til «Innlegg <med> & tegn»/)
  assert.match(slack.blocks[0].text.text, /\*<http:\/\/blogg\.test\/posts\/[^|]+#comment_\d+\|Innlegg &lt;med&gt; &amp; tegn>\*\nGodt skrevet!/)
  assert.equal(slack.blocks[1].elements[0].text, 'Av Test redaktor')
})

test('a private address is refused when saved and again when sent, unless the operators allow it', async (t) => {
  const receiver = await Receiver.start()
  t.after(() => receiver.close())
  const { app, admin, author, editor, c } = await setup(t)
  for (const url of [`${receiver.url}/x`, 'http://localhost:8080/x', 'http://[::1]/x', 'http://10.1.2.3/x']) {
    const { res } = await createHook(c, { url })
    assert.equal(res.statusCode, 422, url)
    assert.match(res.body, /id="f_url-error"[^>]*>Adressen peker til denne maskinen/)
    assert.match(res.body, new RegExp(`value="${url.replace(/[[\]]/g, '\\$&')}"`), 'the text is kept')
  }
  // Saved while allowed (say), then sent from a server where it is not: refused by the guarded client.
  const { id } = await createHook(c, { url: 'https://hooks.example.no/x' })
  await app.db.updateTable('webhooks').set({ url: `${receiver.url}/x` }).where('id', '=', id).execute()
  await publishedPost(app, author, editor, { title: 'Til intern adresse' })
  const [row] = await eventually(async () => { const rows = await outbox(app); return rows[0]?.status === 'failed' ? rows : undefined }, 8000, 'parked')
  assert.equal(row!.attempts, 1, 'a refused address is not retried')
  assert.match(row!.last_error ?? '', /address-not-allowed/)
  assert.equal(receiver.received.length, 0)
  const page = await c.get(`/admin/webhooks/${id}`)
  assert.match(page.body, /Intet svar<\/strong>: <code>address-not-allowed/)
  void admin
})

test('administration: admins only; every field checked with the input kept; test, new key and delete are audited', async (t) => {
  const { app, author, c } = await setup(t)
  assert.equal((await (await loggedIn(app, author)).get('/admin/webhooks')).statusCode, 403)
  assert.match((await c.get('/admin/webhooks')).body, /Ingen webhooker ennå/)
  const bad = await c.post('/admin/webhooks/new', { name: '', url: 'ftp://x', format: 'xml', tag: 'to ord' }, { from: '/admin/webhooks/new' })
  assert.equal(bad.statusCode, 422)
  for (const [field, text] of [['name', 'Skriv et navn'], ['url', 'Skriv en fullstendig adresse'], ['format', 'Velg et format'], ['events', 'Velg minst én hendelse'], ['tag', 'Et stikkord er ett ord uten mellomrom']]) {
    assert.match(bad.body, new RegExp(`id="f_${field}-error"[^>]*>${text}`), field)
  }
  assert.match(bad.body, /value="ftp:\/\/x"/)
  const { res, id } = await createHook(c, { name: 'Teams IKT', url: 'https://prod.example.no/workflows/abc?sig=HEMMELIG', format: 'teams' })
  assert.equal(res.statusCode, 303)
  const test1 = await c.post(`/admin/webhooks/${id}/test`, {}, { from: `/admin/webhooks/${id}` })
  assert.equal(test1.statusCode, 303)
  const queued = await outbox(app)
  assert.equal(queued.length, 1)
  assert.equal(queued[0]!.kind, 'webhook.test')
  assert.equal(queued[0]!.recipient, `webhook:${id}`, 'the queue names the webhook, never its address')
  const { secret: before } = await app.db.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirstOrThrow()
  await c.post(`/admin/webhooks/${id}/secret`, { _confirm: 'yes' }, { from: `/admin/webhooks/${id}` })
  const { secret: after } = await app.db.selectFrom('webhooks').select('secret').where('id', '=', id).executeTakeFirstOrThrow()
  assert.notEqual(after, before)
  assert.match(after, /^whsec_[A-Za-z0-9+/]{32}$/)
  const asked = await c.post(`/admin/webhooks/${id}/delete`, { _confirm: 'ask', _question: 'webhooks.deleteConfirm' }, { from: `/admin/webhooks/${id}` })
  assert.match(asked.body, /Webhooken og leveranseloggen slettes/)
  assert.equal((await c.post(`/admin/webhooks/${id}/delete`, { _confirm: 'yes' }, { from: `/admin/webhooks/${id}` })).statusCode, 303)
  assert.equal((await c.get(`/admin/webhooks/${id}`)).statusCode, 404)
  const audit = await app.db.selectFrom('audit_events').select(['action', 'to_state']).where('subject_type', '=', 'webhook').orderBy('id').execute()
  assert.deepEqual(audit.map((a) => a.action), ['webhook.create', 'webhook.test', 'webhook.secret', 'webhook.delete'])
  assert.doesNotMatch(JSON.stringify(audit), /HEMMELIG|workflows/, 'the address (and its secret) stays out of the audit trail')
  assert.match(audit[0]!.to_state ?? '', /prod\.example\.no/)
})
