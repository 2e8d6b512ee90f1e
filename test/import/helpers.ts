// Shared set-up for the importer's tests: a real app on a fresh database with an administrator, a
// folder for export files, a copy of an old wp-content/uploads folder, and a snapshot of every table
// the import may touch (to prove that a run wrote nothing).
import fs from 'node:fs/promises'
import path from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { importWordPress, type ImportOptions } from '../../src/import/service.js'
import { buildTestApp, makeTempDir } from '../helpers/app.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { solid } from '../uploads/fixtures.js'
import { writeWxrFile, type WxrSpec } from '../wordpress/fixtures.js'

export interface ImportFixture {
  app: FastifyInstance
  admin: TestUser
  dir: string
  write(spec: WxrSpec, name?: string): Promise<string>
  writeText(text: string, name?: string): Promise<string>
  run(file: string, opts?: ImportOptions): ReturnType<typeof importWordPress>
}

export async function importFixture(t: TestContext, env: Record<string, string> = {}): Promise<ImportFixture> {
  const app = await buildTestApp(t, env)
  const admin = await makeUser(app, { username: 'redaktor', role: 'editor+admin', email: 'redaktor@trondheim.kommune.no' })
  const dir = await makeTempDir('wxr-')
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  return {
    app, admin, dir,
    async write(spec, name = 'export.xml') {
      const file = path.join(dir, name)
      await writeWxrFile(file, spec)
      return file
    },
    async writeText(text, name = 'export.xml') {
      const file = path.join(dir, name)
      await fs.writeFile(file, text)
      return file
    },
    run: (file, opts) => importWordPress({ db: app.db, uploadsDir: app.config.uploadsDir }, file, opts),
  }
}

/** A copy of the old blog's uploads folder holding the sample's bridge photo (not its map). */
export async function oldUploads(dir: string): Promise<string> {
  const root = path.join(dir, 'uploads')
  await fs.mkdir(path.join(root, '2009', '05'), { recursive: true })
  await solid(1200, 800).jpeg().toFile(path.join(root, '2009', '05', 'bybrua.jpg'))
  await solid(300, 200).jpeg().toFile(path.join(root, '2009', '05', 'bybrua-300x200.jpg'))
  return root
}

const TABLES = ['users', 'posts', 'post_revisions', 'post_slugs', 'tags', 'post_tags', 'comments', 'uploads', 'audit_events', 'wordpress_map'] as const

/** Every row of every table the importer writes, as text: equal snapshots mean nothing changed. */
export async function snapshot(app: FastifyInstance): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of TABLES) {
    // Sorted here: a row order that both SQLite and PostgreSQL give (SQLite's rowid has no twin).
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(app.db)
    out[table] = JSON.stringify(rows.rows.map((r) => JSON.stringify(r)).sort())
  }
  out.files = JSON.stringify(await listFiles(app.config.uploadsDir))
  return out
}

export async function countRows(app: FastifyInstance, table: (typeof TABLES)[number]): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(app.db)
  return Number(r.rows[0]!.n)
}

export async function listFiles(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort()
  } catch {
    return []
  }
}

export function postByWpId(app: FastifyInstance, wpId: number) {
  return app.db.selectFrom('wordpress_map as m').innerJoin('posts', 'posts.id', 'm.target_id').selectAll('posts')
    .where('m.kind', '=', 'post').where('m.wp_key', '=', String(wpId)).executeTakeFirst()
}
