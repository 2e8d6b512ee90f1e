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
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import autocannon, { type Result } from 'autocannon'
import { BENCH_PASSWORD, seed, TEXT_SEED, type SeedResult } from './seed.js'
import { random, TextMaker } from './vocabulary.js'
import { Day, insertSessions, KINDS, measureDay, openBrowsers, percentile, readSite, setVisibility, startWriters, type Kind, type Person } from './intranet.js'

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
// The fixed search is a common topic word (tens of thousands of matches, and prefix matching on top).
const SEARCH = 'velferdsteknologi'

interface Row {
  name: string
  mode: string
  path: string
  status: number
  rps: number
  p50: number
  p99: number
  fraction: number
  /** Share of one core the server used during the measurement: below ~0.9 the load generator was the limit. */
  serverCpu: number
  non2xx: number
  errors: number
  /** The server's resident memory after the measurement. */
  rssMb: number
  /** Server CPU time per answered request: steadier than req/s on a machine shared with other work. */
  cpuMs?: number
}

function log(message: string) {
  process.stdout.write(`${message}\n`)
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).status === 0

/** Starts a Node process, pinned to core 0 when taskset exists. */
function start(script: string, env: Record<string, string>): ChildProcess {
  const command = ['node', '--import', 'tsx', script]
  const [bin, ...rest] = hasTaskset ? ['taskset', '-c', '0', ...command] : command
  const child = spawn(bin!, rest, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] })
  child.on('exit', (code, signal) => {
    if (code && code !== 0) log(`  ${script} exited with ${code ?? signal}`)
  })
  return child
}

async function waitFor(url: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    try {
      const res = await fetch(url)
      if (res.status < 500) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`)
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

/** CPU seconds the process has used so far (user + system), from /proc; 0 where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS // utime and stime (fields 14 and 15)
  } catch {
    return 0
  }
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

function memory(pid: number | undefined): { rssMb: number; peakMb: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) }
  } catch {
    return { rssMb: 0, peakMb: 0 }
  }
}

/** With several paths, every request takes the next one (so distinct paths are never answered from a cache). */
async function measure(url: string, opts: { headers?: Record<string, string>; paths?: string[]; seconds: number; connections?: number }): Promise<Result> {
  const paths = opts.paths ?? ['/']
  let next = 0
  const requests = [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: paths[next++ % paths.length] }) }]
  const connections = opts.connections ?? CONNECTIONS
  return autocannon({ url, connections, duration: opts.seconds, headers: opts.headers, requests, timeout: 30 })
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

async function run(): Promise<void> {
  const keep = flag('keep')
  const reuse = option('data')
  const dataDir = reuse ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-bench-'))
  const dbFile = path.join(dataDir, 'betablogg.sqlite')
  const children: ChildProcess[] = []
  const cleanup = () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
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
    log(`Database: ${(fs.statSync(dbFile).size / 1024 / 1024).toFixed(0)} MB${hasTaskset ? '; servers pinned to core 0 (taskset)' : '; taskset not found: servers not pinned'}`)

    const ceilingPort = await freePort()
    const ceilingUrl = `http://127.0.0.1:${ceilingPort}`
    children.push(start('bench/ceiling.ts', { PORT: String(ceilingPort) }))
    await waitFor(`${ceilingUrl}/`)

    const rows: Row[] = []
    const ceilingWarm = await measure(ceilingUrl, { seconds: 1 })
    void ceilingWarm
    const ceilingCpu = cpuSeconds(children[0]!.pid)
    const ceiling = await measure(ceilingUrl, { seconds: DURATION })
    const ceilingRps = ceiling.requests.total / DURATION
    rows.push({
      name: 'bare Fastify, 10 KB', mode: 'ceiling', path: '/', status: 200, rps: ceilingRps, p50: ceiling.latency.p50, p99: ceiling.latency.p99,
      fraction: 1, serverCpu: (cpuSeconds(children[0]!.pid) - ceilingCpu) / DURATION, non2xx: ceiling.non2xx, errors: ceiling.errors,
      rssMb: memory(children[0]!.pid).rssMb,
    })
    children[0]!.kill('SIGTERM') // the ceiling server is done: free the core
    log(`ceiling: ${Math.round(ceilingRps).toLocaleString('en')} req/s`)

    /** Starts the production server on the seeded data with this visibility; stopped by the caller. */
    const startServer = async (visibility: 'internal' | 'public') => {
      setVisibility(dbFile, visibility)
      const port = await freePort()
      const base = `http://localhost:${port}`
      const server = start('src/server.ts', {
        NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: base,
        SESSION_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', SITE_VISIBILITY: visibility,
        MALLOC_ARENA_MAX: '2', // as `npm start` and the Dockerfile run it
      })
      children.push(server)
      await waitFor(`${base}/healthz`)
      return { server, base }
    }
    const stopServer = async (server: ChildProcess) => {
      if (server.exitCode !== null) return
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited
    }
    let mem = { rssMb: 0, peakMb: 0 }
    const peak = (m: { rssMb: number; peakMb: number }) => {
      mem = { rssMb: m.rssMb, peakMb: Math.max(mem.peakMb, m.peakMb) }
    }

    if (ONLY !== 'public') {
      const { server, base } = await startServer('internal')
      await intranetDay(base, server, dataDir, seeded, rows, ceilingRps)
      peak(memory(server.pid))
      await stopServer(server)
    }
    if (ONLY !== 'intranet') {
      const { server, base } = await startServer('public')
      const cookie = await login(base, seeded.username, seeded.password ?? BENCH_PASSWORD)
      log(`Public site up (pid ${server.pid}, ${memory(server.pid).rssMb} MB); logged in as ${seeded.username}\n`)
      await publicPages(base, server, cookie, seeded, rows, ceilingRps)
      peak(memory(server.pid))
      await stopServer(server)
    }
    printTable(rows, mem)
    const out = {
      at: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, pinned: hasTaskset },
      connections: CONNECTIONS, seconds: DURATION, quick: QUICK, scale: SCALE, seed: seeded, server: { ...mem }, rows,
    }
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, 'bench/results/latest.json'), JSON.stringify(out, null, 2))
    log(`\nWrote bench/results/latest.json${keep ? `; data kept in ${dataDir}` : ''}`)
  } finally {
    cleanup()
  }
}

/** The public site: each page alone, logged out (the shared page cache) and logged in as one person. */
async function publicPages(base: string, server: ChildProcess, cookie: string, seeded: SeedResult, rows: Row[], ceilingRps: number) {
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
      if (!target.paths) await measure(base, { headers, paths, seconds: 1 }) // warm-up
      const cpuBefore = cpuSeconds(server.pid)
      const r = await measure(base, { headers, paths: target.paths ? paths.slice(1) : paths, seconds: DURATION, connections: target.connections })
      const serverCpu = (cpuSeconds(server.pid) - cpuBefore) / DURATION
      const rps = r.requests.total / DURATION
      rows.push({ name: target.name, mode: `public, ${mode}`, path: target.path, status: probe.status, rps, p50: r.latency.p50, p99: r.latency.p99, fraction: rps / ceilingRps, serverCpu, non2xx: r.non2xx, errors: r.errors, rssMb: memory(server.pid).rssMb })
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
async function intranetDay(base: string, server: ChildProcess, dataDir: string, seeded: SeedResult, rows: Row[], ceilingRps: number) {
  const dbFile = path.join(dataDir, 'betablogg.sqlite')
  const sessions = insertSessions(dbFile, Math.min(PEOPLE, seeded.counts.users ?? PEOPLE))
  const people: Person[] = await openBrowsers(base, 'betablogg', sessions)
  const day = new Day(readSite(dbFile, seeded.targetSlug))
  log(`Internal site up (pid ${server.pid}, ${memory(server.pid).rssMb} MB); ${people.length.toLocaleString('en')} people with a session each\n`)

  const row = (name: string, mode: string, r: { count: number; latencies: number[]; non2xx: number; errors: number }, cpu: number) => {
    const sorted = r.latencies.sort((a, b) => a - b)
    const rps = r.count / DURATION
    const out: Row = {
      name, mode, path: '', status: 200, rps, p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), fraction: rps / ceilingRps,
      serverCpu: cpu, non2xx: r.non2xx, errors: r.errors, rssMb: memory(server.pid).rssMb, cpuMs: r.count ? (cpu * DURATION * 1000) / r.count : 0,
    }
    rows.push(out)
    log(`${name} (${mode}): ${Math.round(rps).toLocaleString('en')} req/s, p50 ${out.p50} ms, p99 ${out.p99} ms, ${out.cpuMs!.toFixed(2)} CPU ms/req${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}`)
  }
  const run = async (pick: () => { kind: string; path: string }) => {
    const cpuBefore = cpuSeconds(server.pid)
    const r = await measureDay(base, people, pick, DURATION, CONNECTIONS)
    return { r, cpu: (cpuSeconds(server.pid) - cpuBefore) / DURATION }
  }

  for (const rate of WRITE_RATES) {
    const mode = `intranet, ${rate} write${rate === 1 ? '' : 's'}/s`
    const stop = startWriters(base, people, day, rate)
    await measureDay(base, people, () => { const kind = day.kind(); return { kind, path: day.path(kind) } }, 1) // warm-up
    const mix = await run(() => { const kind = day.kind(); return { kind, path: day.path(kind) } })
    const all = [...mix.r.byKind.values()]
    row('mix of all pages', mode, { count: mix.r.total.requests.total, latencies: all.flatMap((k) => k.latencies), non2xx: mix.r.total.non2xx, errors: mix.r.total.errors }, mix.cpu)
    for (const kind of KINDS) {
      const alone = await run(() => ({ kind, path: day.path(kind) }))
      const k = alone.r.byKind.get(kind) ?? { count: 0, latencies: [], non2xx: 0 }
      row(kind, mode, { ...k, errors: alone.r.total.errors }, alone.cpu)
    }
    const writes = await stop()
    log(`  writes: ${writes.sent} sent, ${writes.failed} failed`)
  }

  let n = 0
  const coldKinds: (Kind | 'post, 50 comments')[] = ['front page', 'post, 50 comments', 'tag archive', 'timeline', 'notifications', 'search']
  for (const kind of coldKinds) {
    const cold = await run(() => ({ kind, path: day.coldPath(kind, n++) }))
    const k = cold.r.byKind.get(kind) ?? { count: 0, latencies: [], non2xx: 0 }
    row(kind === 'search' ? 'search, every query new' : kind, 'intranet, cold', { ...k, errors: cold.r.total.errors }, cold.cpu)
  }
}

function printTable(rows: Row[], mem: { rssMb: number; peakMb: number }) {
  const head = ['page', 'mode', 'req/s', 'p50 ms', 'p99 ms', 'of ceiling', 'server CPU', 'CPU ms/req', 'RSS MB', 'note']
  const body = rows.map((r) => [
    r.name, r.mode, Math.round(r.rps).toLocaleString('en'), String(r.p50), String(r.p99), `${(r.fraction * 100).toFixed(1)} %`,
    `${Math.round(r.serverCpu * 100)} %`, r.cpuMs !== undefined ? r.cpuMs.toFixed(2) : (r.rps ? ((r.serverCpu * 1000) / r.rps).toFixed(2) : ''), String(r.rssMb),
    [r.status !== 200 ? `status ${r.status}` : '', r.non2xx ? `${r.non2xx} non-2xx` : '', r.errors ? `${r.errors} errors` : ''].filter(Boolean).join(', '),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
  const right = (i: number) => i >= 2 && i <= 8
  const line = (cells: string[]) => `| ${cells.map((c, i) => (right(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
  log('')
  log(line(head))
  log(`|${widths.map((w, i) => (right(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`)
  for (const b of body) log(line(b))
  log(`\nServer memory: ${mem.rssMb} MB resident at the end, ${mem.peakMb} MB peak (VmHWM)`)
  log('server CPU: share of its one core the server used; well below 100 % means the load generator, not the server, was the limit.')
}

run().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
