// CPU per page, in-process: the production app (`app.inject`, no sockets, no load generator) on a
// database seeded as `npm run bench` seeds it, each page kind asked for one request at a time while
// the process's own CPU time is counted. On a machine shared with other work this is the steadiest
// figure there is: no autocannon on the other core, no HTTP, nothing else's share of the core in it.
// `--root` measures another checkout's server (e.g. an older commit in a second worktree) with the
// same requests, seeding with that checkout's migrations: a fair before and after.
//
//   npx tsx bench/pages.ts --data DIR                     seeds DIR first if it holds no database
//   npx tsx bench/pages.ts --data DIR --root ../old       another checkout's app and migrations
//   npx tsx bench/pages.ts --data DIR --mode internal     logged in, every request another person
//   npx tsx bench/pages.ts --data DIR --seconds 3 --scale 0.1 --only front,post --json out.json
//   node --cpu-prof --import tsx bench/pages.ts --data DIR --only post --cold   a profile of making post pages
//   node --cpu-prof --import tsx bench/pages.ts --data DIR --only micro --warm  a profile of a kept page
//
// Modes: `public` (default): the site public, nobody logged in; `internal`: the site internal, 400
// people with a session each, every request by the next one. Each kind is measured `warm` (the same
// URL again and again: what the caches make of it) and `cold` (every kept page, body, feed and
// search answer dropped before each request: what making the page costs).
import fs from 'node:fs'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { busiestAuthor, insertSessions, setVisibility } from './intranet.js'
import type { SeedOptions, SeedResult } from './seed.js'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const ROOT = path.resolve(option('root') ?? fileURLToPath(new URL('..', import.meta.url)))
const DATA = option('data')
if (!DATA) throw new Error('--data DIR is required (a directory seeded by npm run bench -- --keep, or an empty one)')
const dataDir = path.resolve(DATA)
const MODE = option('mode') ?? 'public'
if (MODE !== 'public' && MODE !== 'internal') throw new Error('--mode takes public or internal')
const VISIBILITY: 'public' | 'internal' = MODE
const SECONDS = Number(option('seconds') ?? 3)
const SCALE = Number(option('scale') ?? 0.1)
const ONLY = option('only')?.split(',')
/** Only the cold measurement (e.g. under --cpu-prof: a profile of making pages). */
const COLD_ONLY = args.includes('--cold')
/** Only the warm measurement (a profile of what a kept page costs per request). */
const WARM_ONLY = args.includes('--warm')
const PEOPLE = 400

/** What the app exposes that this script needs, the same in older checkouts. */
interface AppModule { buildApp(config: unknown): Promise<Inject> }
interface Inject {
  inject(opts: { method: 'GET'; url: string; headers: Record<string, string>; payloadAsStream: true }): Promise<{ statusCode: number; stream(): NodeJS.ReadableStream }>
  close(): Promise<void>
}

const load = async <T>(file: string) => (await import(pathToFileURL(path.join(ROOT, file)).href)) as T

async function seeded(): Promise<SeedResult> {
  const info = path.join(dataDir, 'bench-seed.json')
  if (fs.existsSync(info)) return JSON.parse(fs.readFileSync(info, 'utf8')) as SeedResult
  fs.mkdirSync(dataDir, { recursive: true })
  const { seed } = await load<{ seed(o: SeedOptions): Promise<SeedResult> }>('bench/seed.ts')
  const result = await seed({
    file: path.join(dataDir, 'betablogg.sqlite'), log: (m) => process.stdout.write(`${m}\n`),
    users: 2_000, posts: 100_000 * SCALE, comments: 500_000 * SCALE, micro: 500_000 * SCALE, tags: 300, commentsOnTarget: 50,
  })
  fs.writeFileSync(info, JSON.stringify(result))
  return result
}

/**
 * The same secret on every run over a data directory. With a new one, each person's feed key was
 * stored again (a write, and a change every cache sees) on their first page of every run.
 */
function benchSecret(dataDir: string): string {
  const file = path.join(dataDir, 'bench-secret')
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  return fs.readFileSync(file, 'utf8').trim()
}

async function main() {
  const seed = await seeded()
  const file = path.join(dataDir, 'betablogg.sqlite')
  const author = busiestAuthor(file)
  setVisibility(file, VISIBILITY)
  const sessions = MODE === 'internal' ? insertSessions(file, PEOPLE) : []

  const { loadConfig } = await load<{ loadConfig(env: Record<string, string | undefined>): unknown }>('src/config.ts')
  const { buildApp } = await load<AppModule>('src/app.ts')
  const { bumpContentGeneration } = await load<{ bumpContentGeneration(): void }>('src/web/page-cache.ts')
  const config = loadConfig({
    ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '3999', HOST: '127.0.0.1', BASE_URL: 'http://localhost:3999',
    SESSION_SECRET: benchSecret(dataDir), LOG_LEVEL: 'warn', SITE_VISIBILITY: MODE,
  })
  const app = await buildApp(config)

  const kinds = [
    { id: 'front', name: 'front page', url: '/' },
    { id: 'post', name: 'post page, 50 comments', url: `/posts/${encodeURIComponent(seed.targetSlug)}` },
    { id: 'tag', name: 'tag archive (largest tag)', url: `/tags/${encodeURIComponent(seed.popularTag)}` },
    { id: 'author', name: 'author page (most posts)', url: `/users/${encodeURIComponent(author)}` },
    { id: 'micro', name: 'microblog timeline', url: '/micro' },
    { id: 'timeline', name: 'personal timeline', url: '/timeline', internal: true },
    { id: 'feed', name: 'site RSS feed', url: '/feed.xml' },
    { id: 'search', name: 'search "velferdsteknologi"', url: '/search?q=velferdsteknologi' },
  ].filter((k) => (!ONLY || ONLY.includes(k.id)) && (!k.internal || MODE === 'internal'))

  let person = 0
  const headers = (): Record<string, string> => ({
    'accept-encoding': 'gzip, deflate, br',
    ...(MODE === 'internal' ? { cookie: `betablogg=${sessions[person++ % sessions.length]!.token}` } : {}),
  })
  /** Requests one at a time for `seconds`; CPU ms per request of the whole process (GC threads included). */
  const measure = async (url: string, cold: boolean, seconds: number) => {
    // Garbage left by the previous measurement is collected before this one (with --expose-gc),
    // so it is not counted here.
    ;(globalThis as { gc?: () => void }).gc?.()
    const statuses = new Set<number>()
    let count = 0
    const cpu = process.cpuUsage()
    const until = Date.now() + seconds * 1000
    while (Date.now() < until) {
      if (cold) bumpContentGeneration()
      // The body as a stream, read and dropped: otherwise light-my-request joins it and decodes it into a
      // string, work of the client that no server does (as autocannon's, see bench/README.md).
      const res = await app.inject({ method: 'GET', url, headers: headers(), payloadAsStream: true })
      res.stream().resume()
      statuses.add(res.statusCode)
      count++
    }
    const used = process.cpuUsage(cpu)
    return { count, cpuMs: (used.user + used.system) / 1000 / count, statuses: [...statuses] }
  }

  const rows: { kind: string; url: string; mode: string; warm: number; cold: number; statuses: number[]; bytes: number }[] = []
  for (const k of kinds) {
    if (!WARM_ONLY) await measure(k.url, true, 0.5) // warm-up: compiled code, prepared statements
    await measure(k.url, false, 0.5)
    const warm = COLD_ONLY ? { cpuMs: NaN, count: 0, statuses: [] } : await measure(k.url, false, SECONDS)
    const cold = WARM_ONLY ? { cpuMs: NaN, count: 0, statuses: [] } : await measure(k.url, true, SECONDS)
    const statuses = [...new Set([...warm.statuses, ...cold.statuses])]
    // What a reader is sent (compressed as a browser asks): a kept page costs more to send when it is larger.
    let bytes = 0
    const sample = await app.inject({ method: 'GET', url: k.url, headers: headers(), payloadAsStream: true })
    for await (const chunk of sample.stream()) bytes += (chunk as Buffer).length
    rows.push({ kind: k.name, url: k.url, mode: MODE, warm: warm.cpuMs, cold: cold.cpuMs, statuses, bytes })
    process.stdout.write(`${k.name.padEnd(28)} ${MODE.padEnd(8)} warm ${warm.cpuMs.toFixed(2).padStart(7)} CPU ms/req (${warm.count})  cold ${cold.cpuMs.toFixed(2).padStart(7)} CPU ms/req (${cold.count})  ${bytes} bytes  status ${statuses.join(',')}\n`)
  }
  await app.close()
  const json = option('json')
  if (json) fs.writeFileSync(json, JSON.stringify({ at: new Date().toISOString(), root: ROOT, mode: MODE, seconds: SECONDS, node: process.version, rows }, null, 2))
}

main().then(() => process.exit(0), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`)
  process.exit(1)
})
