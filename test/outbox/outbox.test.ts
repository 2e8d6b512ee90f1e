import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import path from 'node:path'
import fs from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { buildTestApp, makeTempDir, testConfig } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { eventually, TestSmtp } from '../helpers/smtp.js'
import { notify } from '../../src/notifications/service.js'
import { enqueue } from '../../src/outbox/service.js'
import { backoffMs } from '../../src/outbox/worker.js'

const outbox = (app: FastifyInstance) => app.db.selectFrom('outbox').selectAll().orderBy('id').execute()

async function mention(app: FastifyInstance, userId: number, actorId: number) {
  await app.db.transaction().execute((trx) => notify(trx, userId, { kind: 'mention', actorId, subjectType: 'micro', subjectId: 1, data: { snippet: 'Hei @kari' } }))
}

test('backoff doubles from the base and is capped at a day', () => {
  const policy = { pollMs: 1000, retryBaseMs: 1000, maxAttempts: 8, leaseMs: 60_000 }
  assert.deepEqual([1, 2, 3, 4].map((a) => backoffMs(policy, a)), [1000, 2000, 4000, 8000])
  assert.equal(backoffMs(policy, 40), 86_400_000)
})

test('the same idempotency key is queued once; a channel this server lacks queues nothing', async (t) => {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env({ OUTBOX_POLL_MS: '3600000' }))
  const m = { channel: 'email', kind: 'notification', key: 'notification:42', recipient: 'user:1', payload: { notificationId: 42 } }
  assert.equal(await enqueue(app.db, m), true)
  assert.equal(await enqueue(app.db, m), false)
  assert.equal(await enqueue(app.db, { ...m, channel: 'sms', key: 'x' }), false, 'no sms sender is registered')
  // A rolled-back event leaves no message behind.
  await assert.rejects(app.db.transaction().execute(async (trx) => {
    await enqueue(trx, { ...m, key: 'rolled-back' })
    throw new Error('the event failed')
  }))
  assert.deepEqual((await outbox(app)).map((r) => r.idempotency_key), ['notification:42'])
})

test('SMTP down for a while: retried with backoff, then sent once', async (t) => {
  const port = await TestSmtp.freePort()
  const smtp = new TestSmtp(port) // not listening yet
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env({ OUTBOX_MAX_ATTEMPTS: '12' })) // not parked however slow the machine
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const per = await makeUser(app, { username: 'per' })
  await app.ready()
  await mention(app, kari.id, per.id)

  const failing = await eventually(async () => {
    const [row] = await outbox(app)
    return row && row.attempts >= 2 && row.status === 'pending' ? row : undefined
  }, 30_000, 'two failed attempts')
  assert.match(failing.last_error ?? '', /ECONNREFUSED/)
  assert.ok(Date.parse(failing.next_attempt_at) > Date.parse(failing.updated_at), 'the next attempt waits')

  await smtp.up()
  const [mail] = await smtp.waitFor(1)
  assert.equal(mail!.to && 'text' in mail!.to ? mail!.to.text : '', 'kari@example.test')
  const sent = await eventually(async () => (await outbox(app)).find((r) => r.status === 'sent'), 30_000, 'sent')
  assert.ok(sent.attempts >= 3)
  await new Promise((r) => setTimeout(r, 300)) // a dozen more polls
  assert.equal(smtp.received.length, 1, 'never twice')
})

test('parked after N failures; an administrator sees the error and sends it again (CSRF, audited)', async (t) => {
  const port = await TestSmtp.freePort()
  const smtp = new TestSmtp(port)
  t.after(() => smtp.down())
  const app = await buildTestApp(t, smtp.env({ OUTBOX_MAX_ATTEMPTS: '2' }))
  const kari = await makeUser(app, { username: 'kari', email: 'kari@example.test' })
  const admin = await makeUser(app, { role: 'admin' })
  await app.ready()
  await mention(app, kari.id, admin.id)
  const failed = await eventually(async () => (await outbox(app)).find((r) => r.status === 'failed'), 30_000, 'failed')
  assert.equal(failed.attempts, 2)

  const employee = await loggedIn(app, kari)
  assert.equal((await employee.get('/admin/outbox')).statusCode, 403)
  const c = await loggedIn(app, admin)
  const page = await c.get('/admin/outbox')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h2 id="failures">Feilet<\/h2>/)
  assert.match(page.body, /ECONNREFUSED/)
  assert.match(page.body, new RegExp(`action="/admin/outbox/${failed.id}/retry"`))
  const en = await c.get('/admin/outbox', { 'accept-language': 'en' })
  assert.ok(en.body.includes('Outgoing messages') || en.body.includes('Utgående meldinger'))

  assert.equal((await c.post(`/admin/outbox/${failed.id}/retry`, {}, { csrf: 'forged' })).statusCode, 403)
  await smtp.up()
  const res = await c.post(`/admin/outbox/${failed.id}/retry`, {}, { from: '/admin/outbox' })
  assert.equal(res.statusCode, 303)
  await smtp.waitFor(1)
  const audit = await app.db.selectFrom('audit_events').selectAll().where('action', '=', 'outbox.retry').execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.actor_id, admin.id)
  assert.equal(audit[0]!.from_state, 'failed')
  const again = await c.post(`/admin/outbox/${failed.id}/retry`, {}, { from: '/admin/outbox' })
  await eventually(async () => (await outbox(app))[0]!.status === 'sent', 30_000, 'sent')
  const third = await c.post(`/admin/outbox/${failed.id}/retry`, {}, { from: '/admin/outbox' })
  assert.ok(again.statusCode === 303 || again.statusCode === 409)
  assert.equal(third.statusCode, 409, 'a sent message is not sent again')
  assert.equal(smtp.received.length, 1)
})

test('a server killed with SIGKILL in the middle of sending: the message is sent once after restart', async (t) => {
  const smtp = await TestSmtp.start()
  t.after(() => smtp.down())
  const dir = await makeTempDir()
  const env = { NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(40), ...smtp.env({ OUTBOX_LEASE_MS: '3000' }) }
  // The event happens in this process; its jobs never start (the app is not made ready).
  const first = await buildApp(testConfig(dir, env))
  const kari = await makeUser(first, { username: 'kari', email: 'kari@example.test' })
  const per = await makeUser(first, { username: 'per' })
  await mention(first, kari.id, per.id)
  await first.close()

  // A server process picks the message up; the SMTP server holds it unanswered; the process dies.
  smtp.hold()
  // The same file kind and loader this test runs with (TypeScript through tsx, or the compiled build).
  const script = fileURLToPath(new URL(`./worker-process${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((r) => child.once('exit', r))
  t.after(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  await smtp.waitForHeld(90_000) // the child compiles the app first: slow on a busy machine
  child.kill('SIGKILL')
  await exited
  assert.equal(smtp.received.length, 0, 'the held message was never accepted')

  // Restart: the claim's lease runs out and the message is sent, once.
  const second = await buildApp(testConfig(dir, env))
  t.after(async () => {
    await second.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  const claimed = await outbox(second)
  assert.equal(claimed[0]!.status, 'sending', 'the dead process held the claim')
  assert.equal(claimed[0]!.attempts, 1)
  await second.ready()
  const [mail] = await smtp.waitFor(1)
  assert.match(mail!.subject ?? '', /nevnte deg/)
  await eventually(async () => (await outbox(second))[0]!.status === 'sent', 30_000, 'sent')
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(smtp.received.length, 1)
  assert.equal((await outbox(second))[0]!.attempts, 2)
})
