// CPU time per request, measured in one process: the production app (buildApp) on a copy of a seeded
// database, requests through app.inject, each by the next of many people with a session of their
// own. No sockets and no load generator: on a machine shared with other work the CPU a request
// costs is what still compares between two versions of the code (req/s does not).
//
//   npm run bench -- --only intranet --keep --scale 0.1      seed once (prints the data directory)
//   node --import tsx bench/cpu.ts --data DIR                every page kind, shared and cold
//   node --import tsx bench/cpu.ts --data DIR --only micro --n 800 --writes 20
//
// --n: requests per row (after a quarter as many to warm up); --people: distinct sessions;
// --writes k: one write (a comment, an update or a like, by someone) every k requests, its own CPU
// left out; --only: rows whose name contains this; --profile DIR: a CPU profile of each row's measured
// requests (open in Chrome's DevTools). Prints CPU ms/req per row.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import os from 'node:os'
import path from 'node:path'
import SQLite from 'better-sqlite3'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { Day, insertSessions, readSite, setVisibility } from './intranet.js'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const DATA = option('data')
if (!DATA) throw new Error('--data DIR: a directory seeded by `npm run bench -- --keep`')
const N = Number(option('n') ?? 400)
const PEOPLE = Number(option('people') ?? 400)
const WRITES = Number(option('writes') ?? 0)
const ONLY = option('only')
const PROFILE = option('profile')

const seeded = JSON.parse(fs.readFileSync(path.join(DATA, 'bench-seed.json'), 'utf8')) as { targetSlug: string; popularTag: string }
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'betablogg-cpu-'))
const file = path.join(dir, 'betablogg.sqlite')
await new SQLite(path.join(DATA, 'betablogg.sqlite'), { readonly: true }).backup(file)
setVisibility(file, 'internal')
const sessions = insertSessions(file, PEOPLE)
{
  // Seen "in a while": no session is touched (a write, once a minute per person) during the rows, so
  // how long a run takes on a busy machine does not change what a request costs.
  const db = new SQLite(file)
  db.prepare('update sessions set last_seen_at = ?').run(new Date(Date.now() + 30 * 60_000).toISOString())
  db.close()
}
const day = new Day(readSite(file, seeded.targetSlug))

const app = await buildApp(loadConfig({
  NODE_ENV: 'production', DATA_DIR: dir, LOG_LEVEL: 'warn', SESSION_SECRET: randomBytes(32).toString('hex'), SITE_VISIBILITY: 'internal', BASE_URL: 'http://localhost',
}))
const people: { cookie: string; csrf: string }[] = []
for (const s of sessions) {
  const session = `betablogg=${s.token}`
  const res = await app.inject({ url: '/settings', headers: { cookie: session } })
  const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1]
  const secret = [res.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]!).find((c) => /^(__Host-)?csrf=/.test(c))
  if (!csrf || !secret) throw new Error(`no CSRF token (status ${res.statusCode})`)
  people.push({ cookie: `${session}; ${secret}`, csrf })
  await app.inject({ url: '/', headers: { cookie: `${session}; ${secret}` } }) // their feed key exists, as after an earlier day
}

let next = 0
const person = () => people[next++ % people.length]!
let writeCpu = 0
async function write(): Promise<void> {
  const before = process.cpuUsage()
  const p = people[day.int(people.length)]!
  const r = day.int(10)
  const [url, form] = r < 4 ? ['/comments', { postId: String(day.recentPost().id), body: day.sentence() }]
    : r < 8 ? ['/micro', { body: day.sentence() }] : [`/micro/${day.update()}/like`, { next: '/micro' }]
  const res = await app.inject({
    method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: p.cookie },
    payload: new URLSearchParams({ ...form, _csrf: p.csrf }).toString(),
  })
  if (res.statusCode >= 400) throw new Error(`write ${url}: ${res.statusCode}`)
  const used = process.cpuUsage(before)
  writeCpu += used.user + used.system
}

async function measure(name: string, url: (i: number) => string): Promise<void> {
  if (ONLY && !name.includes(ONLY)) return
  let i = 0
  const one = async () => {
    if (WRITES && i % WRITES === WRITES - 1) await write()
    const res = await app.inject({ url: url(i++), headers: { cookie: person().cookie, 'accept-encoding': 'gzip, deflate, br' } })
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode}`)
  }
  for (let k = 0; k < N / 4; k++) await one()
  writeCpu = 0
  const profiler = PROFILE ? new Session() : undefined
  if (profiler) {
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.start')
  }
  const start = process.cpuUsage()
  const wall = performance.now()
  for (let k = 0; k < N; k++) await one()
  const used = process.cpuUsage(start)
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop')
    fs.mkdirSync(PROFILE!, { recursive: true })
    fs.writeFileSync(path.join(PROFILE!, `${name.replace(/\W+/g, '-')}.cpuprofile`), JSON.stringify(profile))
    profiler.disconnect()
  }
  const ms = (used.user + used.system - writeCpu) / 1000 / N
  process.stdout.write(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} CPU ms/req  (wall ${((performance.now() - wall) / N).toFixed(3)} ms/req)\n`)
}

let cold = 0
const rows: [string, (i: number) => string][] = [
  ['front page', () => '/'],
  ['post, 50 comments', () => `/posts/${encodeURIComponent(seeded.targetSlug)}`],
  ['recent posts', () => day.path('recent posts')],
  ['tag archive', () => `/tags/${encodeURIComponent(seeded.popularTag)}`],
  ['micro timeline', () => '/micro'],
  ['personal timeline', () => '/timeline'],
  ['notifications', () => '/notifications'],
  ['mix (no search)', () => { let k = day.kind(); while (k === 'search') k = day.kind(); return day.path(k) }],
  ['search', () => day.path('search')],
  ['mix', () => day.path(day.kind())],
  ['cold front page', () => day.coldPath('front page', cold++)],
  ['cold post, 50 comments', () => day.coldPath('post, 50 comments', cold++)],
  ['cold tag archive', () => day.coldPath('tag archive', cold++)],
  ['cold micro timeline', () => day.coldPath('timeline', cold++)],
  ['cold search', () => day.coldPath('search', cold++)],
  ['cold personal timeline', () => `/timeline?cold=${cold++}`],
]
process.stdout.write(`${PEOPLE} people, ${N} requests per row${WRITES ? `, a write every ${WRITES}` : ''}\n`)
for (const [name, url] of rows) await measure(name, url)
await app.close()
fs.rmSync(dir, { recursive: true, force: true })
