// buildTestApp: the real application (same buildApp, same options as production) on a fresh SQLite
// file in a temporary directory, closed and removed when the test ends. With TEST_DATABASE_URL set
// (the PostgreSQL pass, `npm run test:postgres`), on a fresh PostgreSQL database instead.
import fs from 'node:fs/promises'
import fsSync from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { useLightPasswordHashingForTests } from '../../src/auth/password.js'
import { openDatabase } from '../../src/db/database.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { jobsIdle } from '../../src/jobs/scheduler.js'
import { freshPostgresDatabase, TEST_DATABASE_URL } from './postgres.js'

useLightPasswordHashingForTests()

export async function makeTempDir(prefix = 'betablogg-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix))
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  // One search worker on any machine (the default depends on its cores): searches take the same path everywhere.
  return loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(40), SEARCH_WORKERS: '1', ...env })
}

let template: Promise<string> | undefined

/**
 * A SQLite file migrated once: each app starts from a copy of it, which is the same database the
 * migrations make, without running forty of them again for every test. `npm test` makes it once
 * for the whole run (scripts/test.mjs, TEST_SQLITE_TEMPLATE); a file run alone makes its own.
 * (test/db covers the migrations themselves, on fresh files.)
 */
function migratedTemplate(): Promise<string> {
  const shared = process.env.TEST_SQLITE_TEMPLATE
  template ??= shared && fsSync.existsSync(shared) ? Promise.resolve(shared) : (async () => {
    const dir = await makeTempDir('betablogg-template-')
    process.once('exit', () => fsSync.rmSync(dir, { recursive: true, force: true }))
    return writeMigratedDatabase(path.join(dir, 'betablogg.sqlite'))
  })()
  return template
}

/** Migrates a new SQLite database at `file` to the latest version, folded into one file (no WAL). */
export async function writeMigratedDatabase(file: string): Promise<string> {
  const database = await openDatabase(file)
  await migrateToLatest(database.db)
  await database.close() // the last connection's close folds the WAL into the file
  if (fsSync.existsSync(file + '-wal')) throw new Error('the template database kept its WAL')
  return file
}

/**
 * The app, ready, as production is once it listens, and with the jobs' start-up runs over: they do
 * not race the test's first requests (a job writing while a page is made). Jobs on a short interval
 * (the search index, the outbox) still run during a test. `setup` adds a test's own routes or hooks
 * first (none can be added once the app is ready).
 */
export async function buildTestApp(
  t: TestContext, env: Record<string, string> = {}, setup?: (app: FastifyInstance) => void,
): Promise<FastifyInstance> {
  const dir = await makeTempDir()
  const pg = TEST_DATABASE_URL && env.DATABASE_URL === undefined ? await freshPostgresDatabase() : undefined
  if (!pg && env.DATABASE_URL === undefined && env.DATA_DIR === undefined) {
    await fs.copyFile(await migratedTemplate(), testConfig(dir).databaseFile)
  }
  const app = await buildApp(testConfig(dir, pg ? { DATABASE_URL: pg.url, ...env } : env))
  // The runner keeps every test's hooks to the end of the run: this one lets go of the app once it has
  // closed it, or one process running many files (scripts/run-suite.mjs) would hold every app made.
  let open: FastifyInstance | undefined = app
  t.after(async () => {
    await open?.close()
    open = undefined
    await pg?.drop()
    await fs.rm(dir, { recursive: true, force: true })
  })
  setup?.(app)
  await app.ready()
  await jobsIdle(app)
  return app
}

/** The variables that point a CLI run at the same data as `app` (its DATA_DIR, and its PostgreSQL database if any). */
export function dataEnv(app: FastifyInstance): Record<string, string> {
  const env: Record<string, string> = { DATA_DIR: app.config.dataDir }
  if (app.config.databaseUrl) env.DATABASE_URL = app.config.databaseUrl
  return env
}

/**
 * Starts `begin` (a request, say) while a transaction of `app`'s process holds the database, as a
 * job's would, and keeps it open `ms` longer; resolves with what `begin` resolves to.
 */
export async function duringTransaction<T>(app: FastifyInstance, begin: () => Promise<T>, ms = 50): Promise<T> {
  let started: Promise<T> | undefined
  await app.db.transaction().execute(async (trx) => {
    await trx.selectFrom('users').select('id').limit(1).execute()
    started = begin()
    await new Promise((resolve) => setTimeout(resolve, ms))
  })
  return started!
}
