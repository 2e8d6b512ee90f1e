// /healthz proves the database can be written, not only read: a database nobody can write to (a full
// disk, a read-only file, a writer that never lets go) is unhealthy.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import SQLite from 'better-sqlite3'
import { buildTestApp } from '../helpers/app.js'

test('healthz is 503 while the database cannot be written, and ok again afterwards', async (t) => {
  const app = await buildTestApp(t)
  const ok = await app.inject('/healthz')
  assert.equal(ok.statusCode, 200)
  if (app.database.kind !== 'sqlite') return t.skip('the write lock is SQLite\'s (PostgreSQL: see test/db/postgres.test.ts)')
  assert.equal(ok.statusCode, 200)
  assert.deepEqual(ok.json(), { status: 'ok', database: true, writable: true })

  // Another process holds the write lock: reads still work, writes cannot.
  const other = new SQLite(app.config.databaseFile)
  other.exec('BEGIN IMMEDIATE')
  app.database.sqlite.pragma('busy_timeout = 200')
  try {
    const stuck = await app.inject('/healthz')
    assert.equal(stuck.statusCode, 503)
    assert.deepEqual(stuck.json(), { status: 'unavailable', database: true, writable: false })
  } finally {
    other.exec('ROLLBACK')
    other.close()
  }
  assert.equal((await app.inject('/healthz')).statusCode, 200)
})
