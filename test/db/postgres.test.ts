// What PostgreSQL must do atomically that SQLite's single writer gave for free: audit entries appended
// at the same moment form one chain, two outbox workers never claim the same message, and /healthz
// checks the server. Runs in the PostgreSQL pass (TEST_DATABASE_URL); skipped otherwise.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { appendAuditEvent, verifyAuditChain } from '../../src/audit/chain.js'
import { claimDueMessages, insertOutboxMessage } from '../../src/outbox/queries.js'
import { buildTestApp } from '../helpers/app.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'

const skip = !TEST_DATABASE_URL && 'set TEST_DATABASE_URL (npm run test:postgres)'

test('simultaneous audit entries form one unbroken chain', { skip }, async (t) => {
  const app = await buildTestApp(t)
  assert.equal(app.database.kind, 'postgres')
  await Promise.all(Array.from({ length: 30 }, (_, i) => app.db.transaction().execute(async (trx) => {
    await appendAuditEvent(trx, { actor: null, action: 'test.concurrent', subjectType: 'test', subjectId: i })
  })))
  const r = await verifyAuditChain(app.db)
  assert.equal(r.ok, true)
  assert.equal(r.checked, 30)
  const heads = await app.db.selectFrom('audit_events').select('prev_hash').execute()
  assert.equal(new Set(heads.map((h) => h.prev_hash)).size, 30, 'no two entries link to the same predecessor')
})

test('two workers claiming at once never take the same message', { skip }, async (t) => {
  const app = await buildTestApp(t)
  const now = new Date().toISOString()
  for (let i = 0; i < 40; i++) {
    await insertOutboxMessage(app.db, { channel: 'test', kind: 'k', key: `k${i}`, recipient: 'r', payload: '{}', dueAt: now, now })
  }
  const lease = new Date(Date.now() + 60_000).toISOString()
  const claims = await Promise.all(Array.from({ length: 6 }, (_, w) => app.db.transaction().execute((trx) =>
    claimDueMessages(trx, ['test'], `worker-${w}`, now, lease, 10))))
  const ids = claims.flat().map((m) => m.id)
  assert.equal(new Set(ids).size, ids.length, 'a message was claimed twice')
  assert.equal(ids.length, 40, 'every message was claimed by someone')
})

test('healthz on PostgreSQL: answers and writable', { skip }, async (t) => {
  const app = await buildTestApp(t)
  const res = await app.inject('/healthz')
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { status: 'ok', database: true, writable: true })
})
