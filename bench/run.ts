// npm run bench — seeds a database of realistic size, starts the production server (pinned to one
// core with taskset where it exists), and measures pages with autocannon, logged out (public site)
// and logged in, against a bare Fastify 10 KB route as the ceiling. Prints a table and writes
// bench/results/latest.json. A benchmark, not a test: nothing here asserts timings.
//
//   npm run bench                      full size (100,000 posts …), ~5 s per measurement
//   npm run bench -- --quick           a tenth of the data and 2 s per measurement (for trying it out)
//   npm run bench -- --keep            keep the seeded data directory (its path is printed)
//   npm run bench -- --data DIR        reuse DIR (seeded by an earlier --keep run) instead of seeding
//   npm run bench -- --duration 10     seconds per measurement
//   npm run bench -- --scale 0.2       a fifth of the posts, comments and updates (2,000 users always)
//   npm run bench -- --only intranet   only the intranet day (or: --only public)
//   npm run bench -- --connections 5   fewer connections (on a busy machine: every answer still arrives in time)
//   npm run bench -- --instances 2     two servers, each pinned to a core of its own, the connections split between them
//   npm run bench -- --database postgres   the seeded site moved into a throwaway PostgreSQL cluster (db copy)
//   npm run bench -- --out NAME        also write the results to bench/results/NAME.json (bench/compare.ts)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import autocannon, { type Result } from 'autocannon'
import { BENCH_PASSWORD, seed, TEXT_SEED, type SeedResult } from './seed.js'
import { random, TextMaker } from './vocabulary.js'
import { cpuSeconds, freePort, hasTaskset, memory, onCore, waitForServer } from './proc.js'
import { Day, insertSessions, KINDS, measureDayOn, openBrowsers, percentile, readSite, setVisibility, share, startWriters, type Kind, type Person, type Site } from './intranet.js'
import { Latencies, summarise } from './latency.js'
import { insertSessionsPg, readSitePg, setVisibilityPg, startCluster, type Cluster } from './postgres.js'
import { buildProduction, PRODUCTION_SERVER } from './production.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

// autocannon appends every response body to a string (lib/pipelinedRequestsQueue.js), decoding it
// as UTF-8: for compressed bodies or Norwegian text that costs the load generator more than the
// server's whole answer, so the client, not the server, would be measured. Nothing here reads
// bodies (status and timing only), so the decoding is switched off.
const RequestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody?: unknown } }
if (typeof RequestsQueue.prototype.addBody !== 'function') throw new Error('autocannon changed: see the note on addBody in bench/run.ts')
RequestsQueue.prototype.addBody = () => {}
const args = process.argv.slice(2)
const flag = (name: string) => args.includes(`--${name}`)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const QUICK = flag('quick')
const DURATION = Number(option('duration') ?? (QUICK ? 2 : 5))
const CONNECTIONS = Number(option('connections') ?? 50)
const SCALE = Number(option('scale') ?? (QUICK ? 0.1 : 1))
const ONLY = option('only')
if (ONLY && ONLY !== 'intranet' && ONLY !== 'public') throw new Error('--only takes intranet or public')
const INSTANCES = Number(option('instances') ?? 1)
if (!Number.isInteger(INSTANCES) || INSTANCES < 1 || INSTANCES > os.cpus().length) throw new Error(`--instances takes 1 to ${os.cpus().length} (one core each)`)
const DATABASE = option('database') ?? 'sqlite'
if (DATABASE !== 'sqlite' && DATABASE !== 'postgres') throw new Error('--database takes sqlite or postgres')
const OUT = option('out')
if (OUT !== undefined && !/^[\w.-]+$/.test(OUT)) throw new Error('--out takes a file name (letters, digits, . _ -)')
// The fixed search is a common topic word (tens of thousands of matches, and prefix matching on top).
const SEARCH = 'velferdsteknologi'

interface Row {
  name: string
  mode: string
  path: string
  status: number
  rps: number
  /** On connections that had answered before (bench/latency.ts). */
  p50: number
  p99: number
  /** The slowest first answer of a connection: the longest wait to be accepted (bench/latency.ts). */
  openingMs?: number
  fraction: number
  /** Share of one core the server used during the measurement: below ~0.9 the load generator was the limit. */
  serverCpu: number
  non2xx: number
  errors: number
  /** The server's resident memory after the measurement. */
  rssMb: number
  /** Server CPU time per answered request: steadier than req/s on a machine shared with other work. */
  cpuMs?: number
  /** PostgreSQL's CPU time per answered request (--database postgres; in cpuMs too). */
  dbCpuMs?: number
}

function log(message: string) {
  process.stdout.write(`${message}\n`)
}

/**
 * Starts a bench script under tsx or, with `args`, node with those arguments; pinned to `core` (0
 * unless several instances) when taskset exists.
 */
function start(script: string, env: Record<string, string>, core = 0, args = ['--import', 'tsx', script]): ChildProcess {
  const command = ['node', ...args]
  const [bin, ...rest] = onCore(core, command)
  const child = spawn(bin!, rest, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] })
  child.on('exit', (code, signal) => {
    if (code && code !== 0) log(`  ${script} exited with ${code ?? signal}`)
  })
  return child
}

/** Logs in through the server like a browser; returns the Cookie header a browser then sends (session and CSRF secret). */
async function login(base: string, username: string, password: string): Promise<string> {
  const page = await fetch(`${base}/login`)
  const html = await page.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  if (!csrf) throw new Error('no CSRF token on /login')
  const res = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
    body: new URLSearchParams({ identifier: username, password, _csrf: csrf }).toString(),
  })
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /^(__Host-)?betablogg=/.test(c))
  if (res.status !== 303 || !session) throw new Error(`login failed: ${res.status}`)
  const csrfSecret = cookies.split('; ').find((c) => /^(__Host-)?csrf=/.test(c))
  return [session, csrfSecret].filter(Boolean).join('; ')
}

type Measured = Pick<Result, 'errors' | 'non2xx'> & { requests: { total: number }; latency: { p50: number; p99: number; openingMax: number } }

/**
 * With several paths, every request takes the next one (so distinct paths are never answered from a
 * cache). With several instances the connections are split between them (one autocannon each, side by
 * side in this process) and the latencies of all answers make the percentiles.
 */
async function measure(urls: string | string[], opts: { headers?: Record<string, string>; paths?: string[]; seconds: number; connections?: number }): Promise<Measured> {
  const paths = opts.paths ?? ['/']
  let next = 0
  const requests = [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[next++ % paths.length] }) }]
  const connections = opts.connections ?? CONNECTIONS
  const targets = [urls].flat()
  const latencies = new Latencies()
  // Fewer connections than instances (the one-client row): only the first ones get load.
  const used = targets.slice(0, Math.min(targets.length, connections))
  const parts = await Promise.all(used.map((url, i) => autocannon({ url, connections: share(connections, used.length, i), duration: opts.seconds, headers: opts.headers, requests, timeout: 30 })
    .on('response', (client: object, _status: number, _bytes: number, ms: number) => void latencies.add(client, ms))))
  const sum = (f: (r: Result) => number) => parts.reduce((n, r) => n + f(r), 0)
  return { requests: { total: sum((r) => r.requests.total) }, errors: sum((r) => r.errors), non2xx: sum((r) => r.non2xx), latency: summarise(latencies) }
}

/**
 * Searches nobody made before (no cache can answer them): words of the seeded vocabulary drawn as
 * people search, common ones more often, a third of them two-word searches; each one only once.
 */
function variedSearches(count: number): string[] {
  const text = new TextMaker(TEXT_SEED) // the seeded vocabulary
  const pick = () => text.vocabulary[text.rank(text.vocabulary.length, 20)]!
  const queries = new Set<string>()
  while (queries.size < count) queries.add(queries.size % 3 === 0 ? `${pick()} ${pick()}` : pick())
  // Shuffled: the first distinct draws are the common words, and every row should get the same mix.
  const list = [...queries]
  const rnd = random(TEXT_SEED + 1)
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list.map((q) => `/search?q=${encodeURIComponent(q)}`)
}

/** Where the seeded site lives during the run: the SQLite file, or PostgreSQL after `db copy`. */
interface Store {
  setVisibility(visibility: 'internal' | 'public'): Promise<void>
  insertSessions(users: number): Promise<{ userId: number; token: string }[]>
  readSite(targetSlug: string): Promise<Site>
  /** Server environment for it. */
  env: Record<string, string>
  /** PostgreSQL's CPU seconds so far (its work is not in the app's process). */
  cpuSeconds?(): number
}

function sqliteStore(dbFile: string): Store {
  return {
    setVisibility: async (v) => setVisibility(dbFile, v),
    insertSessions: async (n) => insertSessions(dbFile, n),
    readSite: async (slug) => readSite(dbFile, slug),
    // Several servers on the one SQLite file: each says so (src/db/server-lock.ts).
    env: INSTANCES > 1 ? { SQLITE_INSTANCES: 'shared' } : {},
  }
}

/** A throwaway cluster, and the seeded site moved into it by `npm run cli -- db copy`. */
async function postgresStore(dataDir: string, clusters: Cluster[]): Promise<Store> {
  const started = Date.now()
  const cluster = await startCluster(await freePort())
  clusters.push(cluster)
  const copy = spawnSync('node', ['--import', 'tsx', 'src/cli/main.ts', 'db', 'copy', '--to', cluster.url], {
    cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, encoding: 'utf8',
  })
  if (copy.status !== 0) throw new Error(`db copy failed (${copy.status}):\n${copy.stdout}${copy.stderr}`)
  log(`Copied into PostgreSQL (${/Counts compared: [^\n]*/.exec(copy.stdout)?.[0] ?? 'done'}) in ${((Date.now() - started) / 1000).toFixed(1)} s; cluster unpinned`)
  return {
    setVisibility: (v) => setVisibilityPg(cluster.url, v),
    insertSessions: (n) => insertSessionsPg(cluster.url, n),
    readSite: (slug) => readSitePg(cluster.url, slug),
    env: { DATABASE_URL: cluster.url },
    cpuSeconds: () => cluster.cpuSeconds(),
  }
}

/** The servers of one measurement: their CPU (PostgreSQL's included) and memory. */
interface Servers {
  children: ChildProcess[]
  bases: string[]
  store: Store
}

const cpuOf = (s: Servers) => ({ app: cpuSeconds(s.children), db: s.store.cpuSeconds?.() ?? 0 })

async function run(): Promise<void> {
  const keep = flag('keep')
  const reuse = option('data')
  const dataDir = reuse ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-bench-'))
  const dbFile = path.join(dataDir, 'betablogg.sqlite')
  const children: ChildProcess[] = []
  const clusters: Cluster[] = []
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
    for (const c of clusters) c.stop()
    if (!keep && !reuse) fs.rmSync(dataDir, { recursive: true, force: true })
  }
  process.on('SIGINT', () => {
    cleanup()
    process.exit(130)
  })

  try {
    let seeded: SeedResult
    const infoFile = path.join(dataDir, 'bench-seed.json')
    if (reuse && fs.existsSync(infoFile)) {
      seeded = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as SeedResult
      log(`Reusing the database in ${dataDir} (seeded in ${seeded.seconds.toFixed(1)} s)`)
    } else {
      log(`Seeding ${dbFile} …`)
      seeded = await seed({
        log, file: dbFile, users: 2_000, posts: 100_000 * SCALE, comments: 500_000 * SCALE, micro: 500_000 * SCALE,
        tags: 300, commentsOnTarget: 50,
      })
      fs.writeFileSync(infoFile, JSON.stringify(seeded))
      log(`Seeded ${Object.entries(seeded.counts).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ')} in ${seeded.seconds.toFixed(1)} s`)
    }
    const cores = Array.from({ length: INSTANCES }, (_, i) => i)
    const pinned = INSTANCES === 1 ? 'servers pinned to core 0' : `${INSTANCES} instances, each pinned to its core (${cores.join(', ')})`
    buildProduction(ROOT, log)
    log(`Database: ${(fs.statSync(dbFile).size / 1024 / 1024).toFixed(0)} MB${hasTaskset ? `; ${pinned} (taskset)` : '; taskset not found: servers not pinned'}`)
    const store = DATABASE === 'postgres' ? await postgresStore(dataDir, clusters) : sqliteStore(dbFile)

    // The ceiling in the same layout: one bare Fastify process per instance, on the same cores.
    const ceilings: ChildProcess[] = []
    const ceilingUrls: string[] = []
    for (const core of cores) {
      const ceilingPort = await freePort()
      ceilingUrls.push(`http://127.0.0.1:${ceilingPort}`)
      ceilings.push(start('bench/ceiling.ts', { PORT: String(ceilingPort) }, core))
      children.push(ceilings.at(-1)!)
      await waitForServer(`${ceilingUrls.at(-1)}/`)
    }

    const rows: Row[] = []
    const ceilingWarm = await measure(ceilingUrls, { seconds: 1 })
    void ceilingWarm
    const ceilingCpu = cpuSeconds(ceilings)
    const ceiling = await measure(ceilingUrls, { seconds: DURATION })
    const ceilingRps = ceiling.requests.total / DURATION
    rows.push({
      name: 'bare Fastify, 10 KB', mode: 'ceiling', path: '/', status: 200, rps: ceilingRps, p50: ceiling.latency.p50, p99: ceiling.latency.p99, openingMs: ceiling.latency.openingMax,
      fraction: 1, serverCpu: (cpuSeconds(ceilings) - ceilingCpu) / DURATION, non2xx: ceiling.non2xx, errors: ceiling.errors,
      rssMb: memory(ceilings).rssMb,
    })
    for (const c of ceilings) c.kill('SIGTERM') // the ceiling servers are done: free the cores
    log(`ceiling: ${Math.round(ceilingRps).toLocaleString('en')} req/s`)

    /** Starts the production server(s) on the seeded data with this visibility; stopped by the caller. */
    const startServers = async (visibility: 'internal' | 'public'): Promise<Servers> => {
      await store.setVisibility(visibility)
      const secret = randomBytes(32).toString('hex') // the same in every instance: any of them takes any form
      const servers: Servers = { children: [], bases: [], store }
      for (const core of cores) { // one after the other: the first migrates (nothing to do on seeded data)
        const port = await freePort()
        const base = `http://localhost:${port}`
        const server = start('dist/src/server.js', {
          NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: base,
          SESSION_SECRET: secret, LOG_LEVEL: 'warn', SITE_VISIBILITY: visibility,
          MALLOC_ARENA_MAX: '2', // as `npm start` and the Dockerfile run it
          ...store.env,
        }, core, PRODUCTION_SERVER)
        children.push(server)
        servers.children.push(server)
        servers.bases.push(base)
        await waitForServer(`${base}/healthz`, { child: server })
      }
      return servers
    }
    const stopServers = async (servers: Servers) => {
      await Promise.all(servers.children.map(async (server) => {
        if (server.exitCode !== null) return
        const exited = new Promise((resolve) => server.once('exit', resolve))
        server.kill('SIGTERM')
        await exited
      }))
    }
    let mem = { rssMb: 0, peakMb: 0 }
    const peak = (m: { rssMb: number; peakMb: number }) => {
      mem = { rssMb: m.rssMb, peakMb: Math.max(mem.peakMb, m.peakMb) }
    }

    if (ONLY !== 'public') {
      const servers = await startServers('internal')
      await intranetDay(servers, seeded, rows, ceilingRps)
      peak(memory(servers.children))
      await stopServers(servers)
    }
    if (ONLY !== 'intranet') {
      const servers = await startServers('public')
      const cookie = await login(servers.bases[0]!, seeded.username, seeded.password ?? BENCH_PASSWORD)
      log(`Public site up (pid ${servers.children.map((c) => c.pid).join(', ')}, ${memory(servers.children).rssMb} MB); logged in as ${seeded.username}\n`)
      await publicPages(servers, cookie, seeded, rows, ceilingRps)
      peak(memory(servers.children))
      await stopServers(servers)
    }
    printTable(rows, mem)
    const out = {
      at: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, pinned: hasTaskset, loadavg: os.loadavg() },
      setup: { instances: INSTANCES, database: DATABASE },
      connections: CONNECTIONS, seconds: DURATION, quick: QUICK, scale: SCALE, seed: seeded, server: { ...mem }, rows,
    }
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify(out, null, 2))
    if (OUT) fs.writeFileSync(path.join(ROOT, `bench/results/${OUT}.json`), JSON.stringify(out, null, 2))
    log(`\nWrote bench/results/latest.json${OUT ? ` and bench/results/${OUT}.json` : ''}${keep ? `; data kept in ${dataDir}` : ''}`)
  } finally {
    cleanup()
  }
}

/** The public site: each page alone, logged out (the shared page cache) and logged in as one person. */
async function publicPages(servers: Servers, cookie: string, seeded: SeedResult, rows: Row[], ceilingRps: number) {
  const base = servers.bases[0]!
  const targets = [
    { name: 'front page', path: '/' },
    { name: 'post page, 50 comments', path: `/posts/${encodeURIComponent(seeded.targetSlug)}` },
    { name: 'tag archive', path: `/tags/${encodeURIComponent(seeded.popularTag)}` },
    { name: 'site RSS feed', path: '/feed.xml' },
    { name: 'microblog timeline', path: '/micro' },
    { name: `search "${SEARCH}"`, path: `/search?q=${encodeURIComponent(SEARCH)}` },
    // Every request a new search: the cost without any cache (the first "search" row repeats one);
    // with 50 connections the latency is mostly waiting in line, so also with one client at a time.
    { name: 'search, every query new', path: '/search?q=…', paths: variedSearches(30_000).slice(0, 20_000) },
    { name: 'search, every query new, 1 client', path: '/search?q=…', paths: variedSearches(30_000).slice(20_000), connections: 1 },
  ]
  // Warm-ups would use up the new searches: the varied row gets its own list per mode (see below).
  for (const target of targets) {
    for (const mode of ['logged out', 'logged in'] as const) {
      // As a browser sends them: shared pages may come compressed (pages made for a session never do).
      const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...(mode === 'logged in' ? { cookie } : {}) }
      const half = target.paths ? Math.floor(target.paths.length / 2) : 0
      const paths = target.paths ? (mode === 'logged in' ? target.paths.slice(half) : target.paths.slice(0, half)) : [target.path]
      const probe = await fetch(base + paths[0], { headers, redirect: 'manual' })
      await probe.arrayBuffer()
      if (!target.paths) await measure(servers.bases, { headers, paths, seconds: 1 }) // warm-up
      const cpuBefore = cpuOf(servers)
      const r = await measure(servers.bases, { headers, paths: target.paths ? paths.slice(1) : paths, seconds: DURATION, connections: target.connections })
      const cpuAfter = cpuOf(servers)
      const serverCpu = (cpuAfter.app - cpuBefore.app) / DURATION
      const rps = r.requests.total / DURATION
      const dbCpuMs = servers.store.cpuSeconds && r.requests.total ? ((cpuAfter.db - cpuBefore.db) * 1000) / r.requests.total : undefined
      rows.push({
        name: target.name, mode: `public, ${mode}`, path: target.path, status: probe.status, rps, p50: r.latency.p50, p99: r.latency.p99, openingMs: r.latency.openingMax, fraction: rps / ceilingRps, serverCpu, non2xx: r.non2xx, errors: r.errors, rssMb: memory(servers.children).rssMb,
        ...(dbCpuMs !== undefined ? { cpuMs: (serverCpu * DURATION * 1000) / r.requests.total + dbCpuMs, dbCpuMs } : {}),
      })
      log(`${target.name} (${mode}): ${Math.round(rps).toLocaleString('en')} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${probe.status !== 200 ? `, status ${probe.status}` : ''}${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`)
    }
  }
}

const PEOPLE = 2_000
const WRITE_RATES = [1, 10]

/**
 * The internal site on an ordinary day (bench/intranet.ts): 2,000 people, each with a session of
 * their own, open pages with a realistic skew while others write; the whole mix, then each page kind
 * alone, at each write rate; then every page kind cold (every URL new).
 */
async function intranetDay(servers: Servers, seeded: SeedResult, rows: Row[], ceilingRps: number) {
  const { bases, store } = servers
  const sessions = await store.insertSessions(Math.min(PEOPLE, seeded.counts.users ?? PEOPLE))
  const people: Person[] = await openBrowsers(bases[0]!, 'betablogg', sessions)
  const day = new Day(await store.readSite(seeded.targetSlug))
  log(`Internal site up (pid ${servers.children.map((c) => c.pid).join(', ')}, ${memory(servers.children).rssMb} MB); ${people.length.toLocaleString('en')} people with a session each\n`)

  const row = (name: string, mode: string, r: { count: number; latencies: number[]; opening: number[]; non2xx: number; errors: number }, cpu: { app: number; db: number }) => {
    const sorted = r.latencies.sort((a, b) => a - b)
    const rps = r.count / DURATION
    const dbCpuMs = store.cpuSeconds && r.count ? (cpu.db * DURATION * 1000) / r.count : undefined
    const out: Row = {
      name, mode, path: '', status: 200, rps, p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)),
      openingMs: Math.round(Math.max(0, ...r.opening)), fraction: rps / ceilingRps,
      serverCpu: cpu.app, non2xx: r.non2xx, errors: r.errors, rssMb: memory(servers.children).rssMb, cpuMs: (r.count ? (cpu.app * DURATION * 1000) / r.count : 0) + (dbCpuMs ?? 0),
      ...(dbCpuMs !== undefined ? { dbCpuMs } : {}),
    }
    rows.push(out)
    log(`${name} (${mode}): ${Math.round(rps).toLocaleString('en')} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms, connections opened within ${out.openingMs} ms, ${out.cpuMs!.toFixed(2)} CPU ms/req${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`)
  }
  const run = async (pick: () => { kind: string; path: string }) => {
    const before = cpuOf(servers)
    const r = await measureDayOn(bases, people, pick, DURATION, CONNECTIONS)
    const after = cpuOf(servers)
    return { r, cpu: { app: (after.app - before.app) / DURATION, db: (after.db - before.db) / DURATION } }
  }

  for (const rate of WRITE_RATES) {
    const mode = `intranet, ${rate} write${rate === 1 ? '' : 's'}/s`
    const stop = startWriters(bases, people, day, rate)
    // Warmed up as long as it is measured: the first mix would otherwise pay for filling every cache
    // (each tag's, post's and search's body made for the first time) and the two rates would differ by that.
    await measureDayOn(bases, people, () => { const kind = day.kind(); return { kind, path: day.path(kind) } }, DURATION)
    const mix = await run(() => { const kind = day.kind(); return { kind, path: day.path(kind) } })
    const all = [...mix.r.byKind.values()]
    row('mix of all pages', mode, { count: mix.r.total.requests.total, latencies: all.flatMap((k) => k.latencies), opening: mix.r.opening, non2xx: mix.r.total.non2xx, errors: mix.r.total.errors }, mix.cpu)
    for (const kind of KINDS) {
      const alone = await run(() => ({ kind, path: day.path(kind) }))
      const k = alone.r.byKind.get(kind) ?? { count: 0, latencies: [], non2xx: 0 }
      row(kind, mode, { ...k, opening: alone.r.opening, errors: alone.r.total.errors }, alone.cpu)
    }
    const writes = await stop()
    log(`  writes: ${writes.sent} sent, ${writes.failed} failed`)
  }

  let n = 0
  const coldKinds: (Kind | 'post, 50 comments')[] = ['front page', 'post, 50 comments', 'tag archive', 'timeline', 'notifications', 'search']
  for (const kind of coldKinds) {
    const cold = await run(() => ({ kind, path: day.coldPath(kind, n++) }))
    const k = cold.r.byKind.get(kind) ?? { count: 0, latencies: [], non2xx: 0 }
    row(kind === 'search' ? 'search, every query new' : kind, 'intranet, cold', { ...k, opening: cold.r.opening, errors: cold.r.total.errors }, cold.cpu)
  }
}

function printTable(rows: Row[], mem: { rssMb: number; peakMb: number }) {
  const withDb = rows.some((r) => r.dbCpuMs !== undefined) // PostgreSQL: its share of the CPU per request
  const head = ['page', 'mode', 'req/s', 'p50 ms', 'p99 ms', 'opened in ms', 'of ceiling', 'server CPU', 'CPU ms/req', ...(withDb ? ['DB ms/req'] : []), 'RSS MB', 'note']
  const body = rows.map((r) => [
    r.name, r.mode, Math.round(r.rps).toLocaleString('en'), String(r.p50), String(r.p99), r.openingMs !== undefined ? String(r.openingMs) : '', `${(r.fraction * 100).toFixed(1)} %`,
    `${Math.round(r.serverCpu * 100)} %`, r.cpuMs !== undefined ? r.cpuMs.toFixed(2) : (r.rps ? ((r.serverCpu * 1000) / r.rps).toFixed(2) : ''),
    ...(withDb ? [r.dbCpuMs !== undefined ? r.dbCpuMs.toFixed(2) : ''] : []), String(r.rssMb),
    [r.status !== 200 ? `status ${r.status}` : '', r.non2xx ? `${r.non2xx} non-2xx` : '', r.errors ? `${r.errors} errors` : ''].filter(Boolean).join(', '),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const right = (i: number) => i >= 2 && i < head.length - 1
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  log('')
  if (INSTANCES > 1 || DATABASE !== 'sqlite') log(`${INSTANCES} instance${INSTANCES > 1 ? 's' : ''} on ${DATABASE === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`)
  log(line(head))
  log(`|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`)
  for (const b of body) log(line(b))
  if (INSTANCES > 1) {
    log(`\nServer memory (${INSTANCES} instances, summed): ${mem.rssMb} MB resident at the end, ${mem.peakMb} MB peak (VmHWM)`)
    log(`server CPU: the instances' CPU summed (100 % = one core of ${INSTANCES}); the load generator shares the cores with them.`)
  } else {
    log(`\nServer memory: ${mem.rssMb} MB resident at the end, ${mem.peakMb} MB peak (VmHWM)`)
    log('server CPU: share of its one core the server used; well below 100 % means the load generator, not the server, was the limit.')
  }
  log('p50/p99: answers on connections already open; opened in ms: the slowest first answer of a row\'s 50 new connections (Node accepts one per turn of its event loop: bench/latency.ts).')
  if (withDb) log('CPU ms/req includes PostgreSQL\'s (DB ms/req: its part; the cluster runs unpinned).')
}

run().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
