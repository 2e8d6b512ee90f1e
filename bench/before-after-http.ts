// Before and after over HTTP, for pages sent again from a cache: two (or more) checkouts' servers
// up at once on copies of one seeded site, each pinned to core 0, and autocannon (this process, on
// core 1) asking each in turn for a second at a time. The server's CPU per request comes from /proc.
//
//   npx tsx bench/before-after-http.ts --side old=../old:/tmp/old-data --side new=.:/tmp/new-data
//     [--turns 12] [--connections 10] [--only front,post]
//   a side may set environment variables: --side workers=.:/tmp/data2:SEARCH_WORKERS=1
//
// Each row gives every side's CPU per request over all turns and, for the sides after the first, the
// difference to the first turn by turn (the median, its middle half, the turns in which it cost less):
// two sides asked in the same two seconds share the machine's drift, so the pairs tell more than the sums.
//
// Each side's data directory is one bench/pages.ts has seeded for that checkout (its own migrations)
// with the site public. Why not bench/pages.ts: in-process (`app.inject`) a kept page makes no system
// call at all, so the first one it does make (the change feed's look, one `pread`) costs what leaving
// user space costs this VM, 30–50 µs; over sockets every request already reads and writes its
// socket, and the same `pread` costs 3–5 µs. Why turns of a second: on this machine the same server's
// CPU per request drifts by a third within minutes; servers up side by side, asked in turn, share it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import autocannon, { type Result } from 'autocannon'
import { busiestAuthor, pairedTurns } from './intranet.js'
import { cpuSeconds, freePort, hasTaskset, onCore, waitForServer } from './proc.js'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const sides = args.flatMap((a, i) => (args[i - 1] === '--side' ? [a] : [])).map((spec) => {
  const m = /^([^=]+)=([^:]+):([^:]+)(?::(.*))?$/.exec(spec)
  if (!m) throw new Error(`--side NAME=CHECKOUT:DATA[:VAR=VALUE,...], not ${spec}`)
  const env = Object.fromEntries((m[4] ?? '').split(',').filter(Boolean).map((kv) => kv.split('=') as [string, string]))
  return { name: m[1]!, root: path.resolve(m[2]!), data: path.resolve(m[3]!), env }
})
if (sides.length < 2) throw new Error('two --side NAME=CHECKOUT:DATA[:VAR=VALUE,...] at least')
const TURNS = Number(option('turns') ?? 12)
const CONNECTIONS = Number(option('connections') ?? 10)
const ONLY = option('only')?.split(',')

/** The pages bench/pages.ts measures, from the first side's seed (every side is seeded alike). */
function pagesOf(data: string) {
  const seed = JSON.parse(fs.readFileSync(path.join(data, 'bench-seed.json'), 'utf8')) as { targetSlug: string; popularTag: string }
  const author = busiestAuthor(path.join(data, 'betablogg.sqlite'))
  return [
    { id: 'front', url: '/' },
    { id: 'post', url: `/posts/${encodeURIComponent(seed.targetSlug)}` },
    { id: 'tag', url: `/tags/${encodeURIComponent(seed.popularTag)}` },
    { id: 'author', url: `/users/${encodeURIComponent(author)}` },
    { id: 'micro', url: '/micro' },
    { id: 'feed', url: '/feed.xml' },
    { id: 'search', url: '/search?q=velferdsteknologi' },
  ].filter((p) => !ONLY || ONLY.includes(p.id))
}

async function start(side: typeof sides[0], port: number): Promise<ChildProcess> {
  for (const f of fs.readdirSync(side.data)) if (f.endsWith('.server-lock')) fs.rmSync(path.join(side.data, f))
  const env = {
    ...process.env, NODE_ENV: 'production', DATA_DIR: side.data, PORT: String(port), HOST: '127.0.0.1', BASE_URL: `http://localhost:${port}`,
    SESSION_SECRET: fs.readFileSync(path.join(side.data, 'bench-secret'), 'utf8').trim(), LOG_LEVEL: 'warn', SEARCH_WORKERS: '0', ...side.env,
  }
  const [bin, ...rest] = onCore(0, [process.execPath, '--import', 'tsx', 'src/server.ts'])
  const child = spawn(bin!, rest, { cwd: side.root, env, stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForServer(`http://127.0.0.1:${port}/healthz`, { child, timeoutMs: 60_000 })
  return child
}

const ask = async (url: string, duration: number): Promise<Result> => autocannon({
  url, connections: CONNECTIONS, duration, headers: { 'accept-encoding': 'gzip, deflate, br', 'user-agent': 'Mozilla/5.0 (bench)' },
})

if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)])
const servers: { name: string; port: number; child: ChildProcess }[] = []
try {
  for (const side of sides) {
    const port = await freePort()
    servers.push({ name: side.name, port, child: await start(side, port) })
  }
  process.stdout.write(`Server CPU µs per request over ${TURNS} turns of 1 s each, ${CONNECTIONS} connections, kept pages for anonymous readers;\n` +
    `in brackets against the first side, turn by turn: the median difference [its middle half] and the turns that cost less\n\n`)
  process.stdout.write(`| page | ${servers.map((s) => s.name).join(' | ')} |\n|---|${servers.map(() => '--:').join('|')}|\n`)
  for (const page of pagesOf(sides[0]!.data)) {
    const sum = servers.map(() => ({ cpu: 0, requests: 0, errors: 0, turns: [] as number[] }))
    for (const s of servers) await ask(`http://127.0.0.1:${s.port}${page.url}`, 1) // kept, compressed, compiled
    for (let turn = 0; turn < TURNS; turn++) {
      // Each turn begins with another side: whoever goes first in a turn is not always the same.
      for (const i of servers.map((_, k) => (k + turn) % servers.length)) {
        const s = servers[i]!
        const before = cpuSeconds(s.child.pid)
        const result = await ask(`http://127.0.0.1:${s.port}${page.url}`, 1)
        const cpu = (cpuSeconds(s.child.pid) - before) * 1000
        sum[i]!.cpu += cpu
        sum[i]!.requests += result.requests.total
        sum[i]!.errors += result.non2xx + result.errors
        sum[i]!.turns.push((cpu / Math.max(1, result.requests.total)) * 1000)
      }
    }
    const cells = sum.map((x, i) => `${((x.cpu / x.requests) * 1000).toFixed(1)}${i > 0 ? ` ${pairedTurns(x.turns, sum[0]!.turns, 1)}` : ''}${x.errors ? ` (${x.errors} not 2xx)` : ''}`)
    process.stdout.write(`| ${page.id} | ${cells.join(' | ')} |\n`)
  }
} finally {
  for (const s of servers) {
    s.child.kill('SIGTERM')
    if (s.child.exitCode === null) await new Promise((resolve) => s.child.once('exit', resolve))
  }
}
