// The PostgreSQL side of the benchmark (`--database postgres`): a throwaway cluster of Debian's
// `postgresql` on loopback, as .ci/postgres-pass starts one (owned by the postgres user when run as
// root: initdb refuses root), with the durability of a real server (fsync and synchronous commit on,
// as SQLite's synchronous=FULL) and removed afterwards; the seeded SQLite site is moved in by the
// real `db copy`. Also what the intranet day writes straight into the database, and the cluster's CPU.
import { createHash, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { Site } from './intranet.js'
import { CLOCK_TICKS } from './proc.js'

export interface Cluster {
  url: string
  /** CPU seconds the cluster has used so far: the postmaster and every backend, live or ended. */
  cpuSeconds(): number
  stop(): void
}

function pgBin(): string {
  const dirs = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').filter((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : []
  const newest = dirs.sort((a, b) => Number(a) - Number(b)).at(-1)
  if (!newest) throw new Error('--database postgres needs PostgreSQL\'s server binaries (Debian: apt-get install postgresql)')
  return `/usr/lib/postgresql/${newest}/bin`
}

export async function startCluster(port: number): Promise<Cluster> {
  const bin = pgBin()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-bench-pg-'))
  const root = process.getuid?.() === 0
  const run = (command: string) => {
    const r = root ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { encoding: 'utf8' }) : spawnSync('sh', ['-c', command], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`${command}\n${r.stdout}${r.stderr}`)
  }
  if (root) spawnSync('chown', ['postgres', dir])
  let started = false
  const stop = () => {
    const command = `${bin}/pg_ctl -D ${dir}/data -m fast stop`
    if (started) spawnSync(root ? 'su' : 'sh', root ? ['postgres', '-s', '/bin/sh', '-c', command] : ['-c', command], { stdio: 'ignore' })
    started = false
    fs.rmSync(dir, { recursive: true, force: true })
  }
  try {
    // C.UTF-8: text compares by code point, as in SQLite (README: "PostgreSQL and several instances").
    run(`${bin}/initdb -D ${dir}/data -U postgres -A trust --locale=C.UTF-8 --encoding=UTF8 >/dev/null`)
    run(`${bin}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB" start >/dev/null`)
    started = true
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` })
    await admin.connect()
    await admin.query(`create database betablogg template template0 locale 'C.UTF-8' encoding 'UTF8'`)
    await admin.end()
  } catch (err) {
    stop()
    throw err
  }
  const postmaster = Number(fs.readFileSync(`${dir}/data/postmaster.pid`, 'utf8').split('\n')[0])
  return { url: `postgres://postgres@127.0.0.1:${port}/betablogg`, cpuSeconds: () => treeCpuSeconds(postmaster), stop }
}


/** utime + stime of the process and of its ended children (cutime, cstime), plus its live children's. */
function treeCpuSeconds(pid: number): number {
  const stat = (p: number | string) => {
    try {
      return fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')
    } catch {
      return undefined // ended meanwhile
    }
  }
  const own = stat(pid)
  if (!own) return 0
  // Fields after "comm)": state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const f = stat(entry)
    if (f && Number(f[1]) === pid) ticks += Number(f[11]) + Number(f[12])
  }
  return ticks / CLOCK_TICKS
}

/** The intranet day's direct writes and reads (bench/intranet.ts has the same for SQLite). */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

export function setVisibilityPg(url: string, visibility: 'internal' | 'public'): Promise<void> {
  return withClient(url, async (c) => {
    await c.query(`insert into settings (key, value, updated_at, updated_by) values ('visibility', $1, $2, null)
      on conflict (key) do update set value = excluded.value`, [visibility, new Date().toISOString()])
  })
}

export function insertSessionsPg(url: string, users: number): Promise<{ userId: number; token: string }[]> {
  return withClient(url, async (c) => {
    const now = new Date()
    const at = now.toISOString()
    const expires = new Date(now.getTime() + 30 * 86_400_000).toISOString()
    const out = Array.from({ length: users }, (_, i) => ({ userId: i + 1, token: randomBytes(32).toString('base64url') }))
    await c.query(`insert into sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
      select id, user_id, $3, $3, $4, null, 'bench' from unnest($1::text[], $2::int[]) as s(id, user_id)`,
    [out.map((s) => createHash('sha256').update(s.token).digest('hex')), out.map((s) => s.userId), at, expires])
    return out
  })
}

export function readSitePg(url: string, targetSlug: string): Promise<Site> {
  return withClient(url, async (c) => {
    const recent = (await c.query("select id, slug from posts where status = 'published' order by published_at desc, id desc limit 200")).rows.map((r) => ({ id: Number(r.id), slug: String(r.slug) }))
    const tags = (await c.query('select name from tags order by post_count desc limit 300')).rows.map((r) => String(r.name))
    const updates = (await c.query('select id from micro_posts where hidden_at is null order by id desc limit 500')).rows.map((r) => Number(r.id))
    return { recent, tags, updates, targetSlug }
  })
}
