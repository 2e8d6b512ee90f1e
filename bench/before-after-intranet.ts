// Before and after over HTTP for the intranet day's rows (bench/intranet.ts): two or more servers
// up at once on one seeded site (SQLITE_INSTANCES=shared), each pinned to core 0, 2,000 people
// logged in on all of them, and the load (this process, on core 1) asking each in turn for two
// seconds at a time. The server's CPU per request comes from /proc; its peak memory from VmHWM.
//
//   npx tsx bench/before-after-intranet.ts --data /tmp/betablogg-bench-XXXX \
//     --side old=../old --side new=. [--side big=.:CACHE_MB=80,NODE_FLAGS=--max-semi-space-size=16] \
//     [--row "post, 50 comments:cold"] [--row mix] [--turns 10]
//
// A row is a page kind of the day ('front page', 'recent posts', 'tag archive', 'timeline',
// 'notifications', 'search', and 'post, 50 comments' cold only), `:cold` for a new URL each time, or
// `mix`: the day's mix while people write 10 times a second (through every side in turn). Why turns:
// on this machine the same server's CPU per request drifted by a factor of two within minutes (the
// same cold tag archive, 0.27–0.58 ms); servers asked within the same seconds share that drift.
// The sides share the database, so their checkouts must agree on its migrations; the data directory
// is one `npm run bench` seeded at full size (`--data`). Servers run from source (tsx), with npm
// start's Node flags and then the side's NODE_FLAGS (the last of a flag counts); tsx holds about 50 MB
// more than the compiled server: compare memory between sides, not with the day's table.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Day, insertSessions, measureDayOn, openBrowsers, pairedTurns, readSite, startWriters, type Kind } from './intranet.js'
import { cpuSeconds, freePort, hasTaskset, memory, onCore, waitForServer } from './proc.js'
import { PRODUCTION_NODE_FLAGS } from './production.js'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const all = (name: string) => args.flatMap((a, i) => (args[i - 1] === `--${name}` ? [a] : []))
const data = path.resolve(option('data') ?? '')
if (!option('data') || !fs.existsSync(path.join(data, 'bench-seed.json'))) throw new Error('--data: a directory `npm run bench` seeded')
const sides = all('side').map((spec) => {
  const m = /^([^=]+)=([^:]+)(?::(.*))?$/.exec(spec)
  if (!m) throw new Error(`--side NAME=CHECKOUT[:VAR=VALUE,...], not ${spec}`)
  const env = Object.fromEntries((m[3] ?? '').split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const { NODE_FLAGS: flags = '', ...rest } = env
  return { name: m[1]!, root: path.resolve(m[2]!), env: rest, flags: flags.split(' ').filter(Boolean) }
})
if (sides.length < 2) throw new Error('two --side NAME=CHECKOUT[:VAR=VALUE,...] at least')
const TURNS = Number(option('turns') ?? 10)
const ROWS = all('row').length ? all('row') : ['post, 50 comments:cold', 'tag archive:cold', 'timeline:cold', 'mix']
const SECONDS = 2

const file = path.join(data, 'betablogg.sqlite')
const seed = JSON.parse(fs.readFileSync(path.join(data, 'bench-seed.json'), 'utf8')) as { targetSlug: string }
const secret = randomBytes(32).toString('hex') // the same on every side: a session or form of one is good on all

async function start(side: typeof sides[0], port: number): Promise<ChildProcess> {
  for (const f of fs.readdirSync(data)) if (f.endsWith('.server-lock')) fs.rmSync(path.join(data, f))
  const env = {
    ...process.env, NODE_ENV: 'production', DATA_DIR: data, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: secret, LOG_LEVEL: 'warn', SEARCH_WORKERS: '0', SITE_VISIBILITY: 'internal', SQLITE_INSTANCES: 'shared', MALLOC_ARENA_MAX: '2', ...side.env,
  }
  const [bin, ...rest] = onCore(0, [process.execPath, ...PRODUCTION_NODE_FLAGS, ...side.flags, '--import', 'tsx', 'src/server.ts'])
  const child = spawn(bin!, rest, { cwd: side.root, env, stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForServer(`http://127.0.0.1:${port}/healthz`, { child, timeoutMs: 60_000 })
  return child
}

if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)])
const servers: { name: string; base: string; child: ChildProcess }[] = []
try {
  const sessions = insertSessions(file, 2_000)
  for (const side of sides) {
    const port = await freePort()
    servers.push({ name: side.name, base: `http://127.0.0.1:${port}`, child: await start(side, port) })
  }
  // Logged in once (the sessions are rows of the shared database); each person has opened each side's front page.
  const people = await openBrowsers(servers[0]!.base, 'betablogg', sessions)
  for (const s of servers.slice(1)) for (const p of people) await (await fetch(`${s.base}/`, { headers: { cookie: p.cookie } })).arrayBuffer()
  const day = new Day(readSite(file, seed.targetSlug))
  process.stdout.write(`Server CPU ms per request over ${TURNS} turns of ${SECONDS} s each, 50 connections, 2,000 people; peak resident MB at the end;\n` +
    `in brackets against the first side, turn by turn: the median difference [its middle half] and the turns that cost less\n\n`)
  process.stdout.write(`| row | ${servers.map((s) => s.name).join(' | ')} |\n|---|${servers.map(() => '--:').join('|')}|\n`)
  let n = 0
  for (const row of ROWS) {
    const [kind, mode] = row.split(':') as [Kind | 'mix' | 'post, 50 comments', string | undefined]
    const pick = kind === 'mix'
      ? () => { const k = day.kind(); return { kind: k as string, path: day.path(k) } }
      : mode === 'cold' ? () => ({ kind, path: day.coldPath(kind, n++) }) : () => ({ kind, path: day.path(kind as Kind) })
    const stopWriters = kind === 'mix' ? startWriters(servers.map((s) => s.base), people, day, 10) : undefined
    try {
      for (const s of servers) await measureDayOn([s.base], people, pick, kind === 'mix' ? 20 : SECONDS) // warm: people's pages made once
      const sum = servers.map(() => ({ cpu: 0, requests: 0, failed: 0, turns: [] as number[] }))
      for (let turn = 0; turn < TURNS; turn++) {
        for (const i of servers.map((_, k) => (k + turn) % servers.length)) {
          const s = servers[i]!
          const before = cpuSeconds(s.child.pid)
          const r = await measureDayOn([s.base], people, pick, SECONDS)
          const cpu = (cpuSeconds(s.child.pid) - before) * 1000
          sum[i]!.cpu += cpu
          sum[i]!.requests += r.total.requests.total
          sum[i]!.failed += r.total.non2xx
          sum[i]!.turns.push(cpu / Math.max(1, r.total.requests.total))
        }
      }
      const cells = sum.map((x, i) => `${(x.cpu / x.requests).toFixed(3)} · ${memory(servers[i]!.child.pid).peakMb} MB${i > 0 ? ` ${pairedTurns(x.turns, sum[0]!.turns, 3)}` : ''}${x.failed ? ` (${x.failed} not 2xx)` : ''}`)
      process.stdout.write(`| ${row} | ${cells.join(' | ')} |\n`)
    } finally {
      await stopWriters?.()
    }
  }
} finally {
  for (const s of servers) {
    s.child.kill('SIGTERM')
    if (s.child.exitCode === null) await new Promise((resolve) => s.child.once('exit', resolve))
  }
}
