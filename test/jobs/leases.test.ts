import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { claimJobLease, ensureJobLease, releaseJobLease } from '../../src/jobs/queries.js'
import { runIfDue } from '../../src/jobs/scheduler.js'
import { buildTestApp, makeTempDir } from '../helpers/app.js'

const T0 = Date.parse('2026-03-02T08:00:00.000Z')
const at = (ms: number) => new Date(T0 + ms)
const iso = (ms: number) => at(ms).toISOString()

test('a due run is claimed once: not while another holds it, not again before its interval', async (t) => {
  const app = await buildTestApp(t)
  const job = { name: 'test-reminders', intervalMs: 60_000, leaseMs: 10_000 }
  await ensureJobLease(app.db, job.name)
  await ensureJobLease(app.db, job.name) // a second instance starting: the row is kept, not doubled

  let runs = 0
  let otherGotIt: boolean | undefined
  const ran = await runIfDue(app.db, job, 'a', async () => {
    runs++
    otherGotIt = await runIfDue(app.db, job, 'b', async () => { runs++ }, at(5))
  }, at(0))
  assert.equal(ran, true)
  assert.equal(otherGotIt, false, 'the other instance waits while the run is under way')
  assert.equal(runs, 1)

  assert.equal(await runIfDue(app.db, job, 'b', async () => { runs++ }, at(30_000)), false, 'not due before its interval')
  assert.equal(await runIfDue(app.db, job, 'b', async () => { runs++ }, at(59_500)), true, 'due (a timer firing a hair early counts)')
  assert.equal(runs, 2)
  const row = await app.db.selectFrom('job_leases').selectAll().where('name', '=', job.name).executeTakeFirstOrThrow()
  assert.equal(row.holder, null)
  assert.equal(row.next_run_at, iso(59_500 + 60_000))
  assert.equal((await app.db.selectFrom('job_leases').select('name').where('name', '=', job.name).execute()).length, 1)
})

test('a run whose process died is taken over when its lease runs out; the dead holder cannot release it', async (t) => {
  const app = await buildTestApp(t)
  const job = { name: 'test-digest', intervalMs: 60_000, leaseMs: 10_000 }
  await ensureJobLease(app.db, job.name)
  // Process a claims the run and dies without releasing it.
  assert.equal(await claimJobLease(app.db, job.name, 'a', iso(0), iso(1000), iso(10_000)), true)
  assert.equal(await claimJobLease(app.db, job.name, 'b', iso(0), iso(1000), iso(10_000)), false, 'the same instant: only one')

  let runs = 0
  assert.equal(await runIfDue(app.db, job, 'b', async () => { runs++ }, at(9_000)), false, 'the lease still holds')
  assert.equal(await runIfDue(app.db, job, 'b', async () => { runs++ }, at(10_000)), true, 'taken over')
  assert.equal(runs, 1)
  assert.equal(await releaseJobLease(app.db, job.name, 'a', iso(11_000), iso(60_000)), false, 'a late release by the old holder changes nothing')
  const row = await app.db.selectFrom('job_leases').selectAll().where('name', '=', job.name).executeTakeFirstOrThrow()
  assert.equal(row.next_run_at, iso(70_000))
})

test('a failed run frees the lease and is tried again at the next due time', async (t) => {
  const app = await buildTestApp(t)
  const job = { name: 'test-retention', intervalMs: 1000 }
  await ensureJobLease(app.db, job.name)
  await assert.rejects(runIfDue(app.db, job, 'a', async () => { throw new Error('disk full') }, at(0)), /disk full/)
  assert.equal(await runIfDue(app.db, job, 'b', async () => {}, at(500)), false)
  assert.equal(await runIfDue(app.db, job, 'b', async () => {}, at(1000)), true)
})

test('two processes on one SQLite database: every due run happens in one of them, never overlapping', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const database = openDatabase(path.join(dir, 'betablogg.sqlite'))
  await migrateToLatest(database.db)
  await sql`create table job_test_runs (pid integer not null, due_ms integer not null, finished_ms integer)`.execute(database.db)

  const intervalMs = 100
  // Beside this file, compiled (.js, from .test-build) or not (.ts, run through tsx): the same options.
  const script = fileURLToPath(new URL(`./runner-process${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url))
  const children = [0, 1].map(() => spawn(process.execPath, [...process.execArgv, script], {
    env: { ...process.env, DATA_DIR: dir, JOB_INTERVAL_MS: String(intervalMs) }, stdio: ['ignore', 'pipe', 'inherit'],
  }))
  t.after(() => { for (const c of children) if (c.exitCode === null) c.kill('SIGKILL') })
  const ready = (c: (typeof children)[number]) => new Promise<void>((resolve, reject) => {
    let out = ''
    c.stdout!.on('data', (d) => { out += d; if (out.includes('ready')) resolve() })
    c.once('exit', (code) => reject(new Error(`runner exited with ${code}`)))
  })
  await Promise.all(children.map(ready))
  await new Promise((r) => setTimeout(r, 2000)) // both running side by side
  const exits = children.map((c) => new Promise((r) => c.once('exit', r)))
  for (const c of children) c.kill('SIGTERM')
  assert.deepEqual(await Promise.all(exits), [0, 0])

  const runs = await sql<{ pid: number; due_ms: number; finished_ms: number | null }>`select pid, due_ms, finished_ms from job_test_runs order by due_ms`.execute(database.db)
  await database.close()
  const rows = runs.rows
  assert.ok(rows.length >= 5, `the job ran (${rows.length} runs)`)
  assert.ok(rows.every((r) => r.finished_ms !== null), 'every run finished (closing waits for it)')
  for (let i = 1; i < rows.length; i++) {
    const [prev, next] = [rows[i - 1]!, rows[i]!]
    assert.ok(next.due_ms >= prev.finished_ms!, `run ${i} (pid ${next.pid}) began before run ${i - 1} (pid ${prev.pid}) had finished`)
    assert.ok(next.due_ms - prev.due_ms >= intervalMs - 10, `run ${i} came ${next.due_ms - prev.due_ms} ms after the one before: one due run ran twice`)
  }
})
