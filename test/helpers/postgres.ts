// The PostgreSQL pass: with TEST_DATABASE_URL=postgres://…/postgres (a server the tests may create
// databases on), every test app gets a database of its own, created for it and dropped after it.
// Migrating a database takes longer than copying one, so the migrated schema is made once, as a
// template database named after the migrations' code (a changed migration makes a new template).
import { createHash } from 'node:crypto'
import type pg from 'pg'
import { Kysely, PostgresDialect } from 'kysely'
import { migrations } from '../../migrations/index.js'
import { migrateToLatest } from '../../src/db/migrate.js'
import { PostgresDdlPlugin } from '../../src/db/postgres/ddl-plugin.js'
import { loadPg } from '../../src/db/postgres/open.js'

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() || undefined

const schemaHash = createHash('sha256')
  .update(Object.entries(migrations).map(([name, m]) => name + m.up.toString()).join('\n'))
  .digest('hex').slice(0, 12)
const TEMPLATE = `betablogg_tmpl_${schemaHash}`

function urlOf(database: string): string {
  const u = new URL(TEST_DATABASE_URL!)
  u.pathname = `/${database}`
  return u.href
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new (loadPg().Client)({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try { return await work(client) } finally { await client.end() }
}

let templateReady: Promise<void> | undefined

/** The migrated template, made by the first test process that needs it (others wait on the lock). */
function ensureTemplate(): Promise<void> {
  templateReady ??= admin(async (client) => {
    await client.query('select pg_advisory_lock(7310)')
    try {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [TEMPLATE])
      if (rowCount) return
      const building = `${TEMPLATE}_new`
      await client.query(`drop database if exists ${building}`)
      await client.query(`create database ${building}`)
      const db = new Kysely<any>({
        dialect: new PostgresDialect({ pool: new (loadPg().Pool)({ connectionString: urlOf(building), max: 1 }) }),
        plugins: [new PostgresDdlPlugin()],
      })
      try { await migrateToLatest(db) } finally { await db.destroy() }
      await client.query(`alter database ${building} rename to ${TEMPLATE}`)
    } finally {
      await client.query('select pg_advisory_unlock(7310)')
    }
  })
  return templateReady
}

/** A fresh, migrated, empty database; `drop` removes it (after the app is closed). */
export async function freshPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  await ensureTemplate()
  const name = `betablogg_t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  await admin((c) => c.query(`create database ${name} template ${TEMPLATE}`))
  return {
    url: urlOf(name),
    drop: () => admin(async (c) => { await c.query(`drop database if exists ${name} with (force)`) }),
  }
}

/** An empty database without any table (for `db copy`, which migrates its target itself). */
export async function freshEmptyPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `betablogg_e_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  await admin((c) => c.query(`create database ${name}`))
  return {
    url: urlOf(name),
    drop: () => admin(async (c) => { await c.query(`drop database if exists ${name} with (force)`) }),
  }
}
