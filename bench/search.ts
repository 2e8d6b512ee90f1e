// npm run bench:search (or node --import tsx bench/search.ts) — new searches under load, alone: the
// production server on a seeded database (internal site, everyone logged in), pinned to one core,
// and every request a search nobody made before (so no cache can answer), N of them at 50
// connections, then a few hundred with one client at a time (the cost of a search without waiting).
// Reports req/s, p50, p99 (on open connections: latency.ts) and the server's CPU ms per search, with the load average (the machine is
// shared: CPU ms/search is the figure that compares across runs). A benchmark: nothing asserts.
//
//   node --import tsx bench/search.ts --data DIR     a directory seeded by `npm run bench -- --keep`
//                                                    (or by this script with --keep)
//   node --import tsx bench/search.ts --scale 0.3    seed a fresh database first (--keep keeps it)
//   --count 3000        searches at 50 connections (each one new)
//   --connections 50
//   --seed 1            another draw of queries (each run with the same seed asks the same searches)
//   --core 0            the core the server is pinned to (taskset), or --no-pin
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { seed, TEXT_SEED, type SeedResult } from './seed.js'
import { random, TextMaker } from './vocabulary.js'
import { insertSessions, openBrowsers, setVisibility, type Person } from './intranet.js'
import { Latencies, percentile } from './latency.js'
import { cpuSeconds, freePort, memory, waitForServer } from './proc.js'
import { buildProduction, PRODUCTION_SERVER } from './production.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const COUNT = Number(option('count') ?? 3000)
const CONNECTIONS = Number(option('connections') ?? 50)
const SCALE = Number(option('scale') ?? 1)
const DRAW = Number(option('seed') ?? 1)
const SINGLE = 300
const WARM = 300

const log = (m: string) => process.stdout.write(`${m}\n`)
const hasTaskset = !args.includes('--no-pin') && spawnSync('sh', ['-c', 'command -v taskset'], { encoding: 'utf8' }).status === 0
const CORE = option('core') ?? '0'

/**
 * Distinct searches as people make them: words of the seeded vocabulary, common ones more often, a
 * third of them two words. Drawn the way bench/run.ts draws its "every query new" row.
 */
export function newSearches(count: number, draw: number): string[] {
  const text = new TextMaker(TEXT_SEED)
  const rnd = random(TEXT_SEED + draw)
  const rank = () => {
    const low = Math.log(20)
    return Math.max(0, Math.min(text.vocabulary.length - 1, Math.floor(Math.exp(low + rnd() * (Math.log(text.vocabulary.length + 20) - low)) - 20)))
  }
  const pick = () => text.vocabulary[rank()]!
  const queries = new Set<string>()
  while (queries.size < count) queries.add(queries.size % 3 === 0 ? `${pick()} ${pick()}` : pick())
  const list = [...queries]
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[list[i], list[j]] = [list[j]!, list[i]!]
  }
  return list.map((q) => `/search?q=${encodeURIComponent(q)}`)
}

/** Latencies on open connections; openingMs: the slowest first answer of a connection (latency.ts). */
interface Row { name: string; searches: number; rps: number; p50: number; p90: number; p99: number; max: number; openingMs: number; cpuMs: number; serverCpu: number; non2xx: number; errors: number }

async function measure(base: string, server: ChildProcess, people: Person[], paths: string[], connections: number, name: string): Promise<Row> {
  let next = 0
  const requests = [{
    method: 'GET',
    setupRequest: (req: Record<string, unknown>) => {
      const n = next++
      const person = people[n % people.length]!
      return { ...req, path: paths[n % paths.length], headers: { ...(req.headers as Record<string, string>), cookie: person.cookie } }
    },
  }]
  const cpu = cpuSeconds(server.pid)
  const started = process.hrtime.bigint()
  const latencies = new Latencies()
  const r = await autocannon({ url: base, connections, amount: paths.length, headers: { 'accept-encoding': 'gzip, deflate, br' }, requests, timeout: 30 })
    .on('response', (client: object, _status: number, _bytes: number, ms: number) => void latencies.add(client, ms))
  const open = [...latencies.open].sort((a, b) => a - b)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const used = cpuSeconds(server.pid) - cpu
  const done = r.requests.total
  return {
    name, searches: done, rps: done / seconds, p50: Math.round(percentile(open, 50)), p90: Math.round(percentile(open, 90)), p99: Math.round(percentile(open, 99)),
    max: Math.round(open.at(-1) ?? 0), openingMs: Math.round(Math.max(0, ...latencies.opening)),
    cpuMs: done ? (used * 1000) / done : 0, serverCpu: used / seconds, non2xx: r.non2xx, errors: r.errors,
  }
}

async function main() {
  const reuse = option('data')
  const dataDir = reuse ? path.resolve(reuse) : fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-search-'))
  const dbFile = path.join(dataDir, 'betablogg.sqlite')
  const infoFile = path.join(dataDir, 'bench-seed.json')
  let seeded: SeedResult
  if (fs.existsSync(infoFile)) {
    seeded = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as SeedResult
  } else {
    log(`Seeding ${dbFile} …`)
    seeded = await seed({
      log, file: dbFile, users: 2_000, posts: 100_000 * SCALE, comments: 500_000 * SCALE, micro: 500_000 * SCALE, tags: 300, commentsOnTarget: 50,
    })
    fs.writeFileSync(infoFile, JSON.stringify(seeded))
  }
  log(`Data: ${Object.entries(seeded.counts).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ')} in ${dataDir}`)

  setVisibility(dbFile, 'internal')
  buildProduction(ROOT, log)
  const port = await freePort()
  const base = `http://localhost:${port}`
  const command = ['node', ...(args.includes('--prof') ? ['--cpu-prof', '--cpu-prof-dir', path.join(dataDir, 'profiles')] : []), ...PRODUCTION_SERVER]
  const [bin, ...rest] = hasTaskset ? ['taskset', '-c', CORE, ...command] : command
  const server = spawn(bin!, rest, {
    cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BASE_URL: base,
      SESSION_SECRET: randomBytes(32).toString('hex'), LOG_LEVEL: 'warn', SITE_VISIBILITY: 'internal', MALLOC_ARENA_MAX: '2',
    },
  })
  const stop = () => { if (server.exitCode === null) server.kill('SIGTERM') }
  process.on('SIGINT', () => { stop(); process.exit(130) })
  try {
    await waitForServer(`${base}/healthz`, { child: server, timeoutMs: 900_000 }) // a busy machine starts slowly
    const people = await openBrowsers(base, 'betablogg', insertSessions(dbFile, CONNECTIONS))
    const all = newSearches(WARM + COUNT + SINGLE, DRAW)
    const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')
    log(`Server pid ${server.pid}${hasTaskset ? `, pinned to core ${CORE}` : ''}; load average ${load()}`)

    await measure(base, server, people, all.slice(0, WARM), CONNECTIONS, 'warm-up')
    const rows = [
      await measure(base, server, people, all.slice(WARM, WARM + COUNT), CONNECTIONS, `new searches, ${CONNECTIONS} connections`),
      await measure(base, server, people, all.slice(WARM + COUNT), 1, 'new searches, 1 client'),
    ]
    const mem = memory(server.pid)
    const loadAfter = load()
    log('')
    log('| row | searches | req/s | p50 ms | p90 ms | p99 ms | max ms | opened in ms | CPU ms/search | server CPU | errors |')
    log('|-----|---------:|------:|-------:|-------:|-------:|-------:|-------------:|--------------:|-----------:|-------:|')
    for (const r of rows) {
      log(`| ${r.name} | ${r.searches} | ${Math.round(r.rps)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.openingMs} | ${r.cpuMs.toFixed(2)} | ${Math.round(r.serverCpu * 100)} % | ${r.non2xx + r.errors} |`)
    }
    log(`\nServer memory ${mem.rssMb} MB (peak ${mem.peakMb} MB); load average after: ${loadAfter}`)
    fs.mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true })
    fs.writeFileSync(path.join(ROOT, 'bench/results/search.json'), JSON.stringify({
      at: new Date().toISOString(), load: loadAfter, node: process.version, pinned: hasTaskset, seed: seeded.counts, rows, memory: mem,
    }, null, 2))
  } finally {
    stop()
    if (!reuse && !args.includes('--keep')) fs.rmSync(dataDir, { recursive: true, force: true })
    else if (!reuse) log(`Data kept in ${dataDir}`)
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
