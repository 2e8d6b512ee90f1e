// Two real server processes on one PostgreSQL database and one DATA_DIR (its uploads shared), behind a
// real nginx configured by deploy/nginx.conf (only the addresses swapped for loopback ones). What it
// proves: a change written through one instance shows on the very next page read through the other;
// sessions and CSRF tokens work on either instance (no sticky sessions); and when one instance is
// killed (kill -9) under 20 writers, no acknowledged write is lost, none is stored twice, and once
// nginx has failed over every request is answered by the survivor without a 5xx.
// The PostgreSQL pass only, and only where nginx is installed (Debian's `nginx`).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { buildApp } from '../../src/app.js'
import { startSession } from '../../src/auth/sessions.js'
import { insertUser } from '../../src/users/queries.js'
import { POSTING_LIMIT } from '../../src/moderation/posting.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { freshPostgresDatabase, TEST_DATABASE_URL } from '../helpers/postgres.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { killAtEnd, listening, start, type Proc } from '../db/processes.js'

const WRITERS = 20
/** Sessions (each of its own user) a writer takes turns with: updates are limited to 10 a minute per person. */
const SESSIONS_PER_WRITER = 10
const PAUSE_MS = 100 // between a writer's updates: at most 10 a second each, within the limit for the test's length
const GRACE_MS = 1_000 // requests already on their way to the killed instance may fail meanwhile

// The repository (deploy/ is not copied into the compiled test build; package.json is linked there).
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const REPO = path.dirname(fs.realpathSync(path.join(ROOT, 'package.json')))

function findNginx(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin']
  return dirs.map((d) => path.join(d, 'nginx')).find((f) => {
    try { fs.accessSync(f, fs.constants.X_OK); return true } catch { return false }
  })
}
const NGINX = findNginx()
const skip = !TEST_DATABASE_URL ? 'PostgreSQL pass only (TEST_DATABASE_URL)' : !NGINX ? 'needs nginx (Debian package nginx)' : false

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/**
 * deploy/nginx.conf's upstream and server, as they are, inside a main config of its own (temp prefix,
 * pid, logs, one process in the foreground, no root). Each answer names the instance(s) it was sent
 * to, so the test can tell who answered.
 */
function nginxConfig(dir: string, port: number, upstreams: [string, string]): string {
  const deploy = fs.readFileSync(path.join(REPO, 'deploy/nginx.conf'), 'utf8')
  const site = deploy
    .replace('server app1:3000', `server ${upstreams[0]}`)
    .replace('server app2:3000', `server ${upstreams[1]}`)
    .replace(/listen 80;/, `listen 127.0.0.1:${port};`)
    .replace(/location \/ \{/, 'location / {\n    add_header X-Upstream $upstream_addr always;')
  assert.ok(site.includes(upstreams[0]) && site.includes(upstreams[1]) && site.includes(`:${port};`) && site.includes('X-Upstream'), 'deploy/nginx.conf as expected')
  return `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`
}

/** Clean-up steps, run last first: processes end before their database and directories go. */
interface Cleanup { after(fn: () => unknown): void }

async function startNginx(t: Cleanup, dir: string, upstreams: [string, string]): Promise<{ base: string; child: ChildProcess; log: () => string }> {
  const errorLog = path.join(dir, 'error.log')
  const log = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '')
  for (let attempt = 1; ; attempt++) {
    const port = await freePort() // freed again for nginx: another process could take it first, hence the retry
    fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreams))
    const child = spawn(NGINX!, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString() })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    t.after(async () => {
      if (child.exitCode === null && child.signalCode === null) { child.kill('SIGKILL'); await exited }
    })
    const base = `http://127.0.0.1:${port}`
    for (let i = 0; i < 100 && child.exitCode === null; i++) {
      const up = await fetch(`${base}/proxy-health`).then((r) => r.ok, () => false)
      if (up && child.exitCode === null) return { base, child, log }
      await new Promise((r) => setTimeout(r, 50))
    }
    if (child.exitCode === null) { child.kill('SIGKILL'); await exited }
    if (attempt === 3) throw new Error(`nginx did not start:\n${stderr}\n${log()}`)
  }
}

interface Answer { status: number; upstream: string; location: string; body: string }

/** A browser over real HTTP: a cookie jar (the session cookie, the CSRF cookie) and the last CSRF token. */
class Browser {
  readonly jar = new Map<string, string>()
  csrf = ''
  constructor(session?: string) { if (session) this.jar.set('betablogg', session) }

  async request(base: string, url: string, form?: Record<string, string>): Promise<Answer> {
    const headers: Record<string, string> = { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') }
    let body: URLSearchParams | undefined
    if (form) {
      body = new URLSearchParams({ _csrf: this.csrf, ...form })
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const res = await fetch(base + url, { method: form ? 'POST' : 'GET', body, headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) })
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      const value = pair!.slice(i + 1)
      if (value) this.jar.set(pair!.slice(0, i), value)
      else this.jar.delete(pair!.slice(0, i))
    }
    const text = await res.text()
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1]
    if (token) this.csrf = token
    // nginx lists every instance it tried ("a, b" after a refused connection); the last one answered.
    const upstream = (res.headers.get('x-upstream') ?? '').split(', ').at(-1)!
    return { status: res.status, upstream, location: res.headers.get('location') ?? '', body: text }
  }
}

interface Sent { kind: 'write' | 'read'; text: string; startedAt: number; endedAt: number; status: number; upstream: string; error?: string }

test('two instances behind nginx: writes show at once on the other; kill -9 of one under load loses no acknowledged write, and no 5xx once nginx has failed over', { skip, timeout: 300_000 }, async (t) => {
  const phases: string[] = []
  let phaseStart = performance.now()
  const phase = (name: string) => { phases.push(`${name} ${Math.round(performance.now() - phaseStart)} ms`); phaseStart = performance.now() }
  const steps: (() => unknown)[] = []
  const cleanup: Cleanup = { after: (fn) => void steps.push(fn) }
  t.after(async () => {
    for (const step of steps.reverse()) await Promise.resolve().then(step).catch((err) => t.diagnostic(`clean-up: ${err}`))
  })
  const db = await freshPostgresDatabase()
  cleanup.after(() => db.drop())
  const dir = await makeTempDir('betablogg-scale-')
  const nginxDir = await makeTempDir('betablogg-nginx-')
  cleanup.after(() => { for (const d of [dir, nginxDir]) fs.rmSync(d, { recursive: true, force: true }) })

  // The site (public), two people for the first part, and the writers' sessions: made before the servers start.
  phase('database')
  const setup = await buildApp(testConfig(dir, { DATABASE_URL: db.url }))
  phase('buildApp')
  let ola: TestUser, kari: TestUser, kariSession: string
  const sessions: string[][] = []
  try {
    await setup.settings.update({ visibility: 'public' }, null)
    ola = await makeUser(setup, { username: 'ola', displayName: 'Ola Skriver' })
    kari = await makeUser(setup, { username: 'kari', displayName: 'Kari Leser' })
    kariSession = await startSession(setup.db, setup.config, kari.id, { ip: null, userAgent: null })
    // The writers' accounts are plain rows (no password, no audit entry: only load), each with a session.
    const now = new Date().toISOString()
    sessions.push(...await Promise.all(Array.from({ length: WRITERS }, (_, w) => Promise.all(Array.from({ length: SESSIONS_PER_WRITER }, async (_, s) => {
      const id = await insertUser(setup.db, { username: `skribent_${w}_${s}`, display_name: `Skribent ${w}.${s}`, created_at: now, updated_at: now })
      return startSession(setup.db, setup.config, id, { ip: null, userAgent: null })
    })))))
  } finally {
    await setup.close()
  }
  phase('setup')

  // Two instances: one database, one DATA_DIR (the uploads directory shared), ports of their own.
  const env = { DATA_DIR: dir, DATABASE_URL: db.url, SESSION_SECRET: 's'.repeat(40), PORT: '0', HOST: '127.0.0.1' }
  const a = start('src/server', [], env)
  const b = start('src/server', [], env)
  killAtEnd(cleanup, a, b)
  const [baseA, baseB] = await Promise.all([listening(a), listening(b)])
  const hostA = new URL(baseA).host
  const hostB = new URL(baseB).host
  phase('instances')
  const proxy = await startNginx(cleanup, nginxDir, [hostA, hostB])
  phase('nginx')
  const diagnose = (p: Proc) => `\n--- nginx error log ---\n${proxy.log().slice(-4000)}\n--- instance log ---\n${p.output().slice(-4000)}`

  // Written through A, read through B at once: logged in (the session made by logging in on A) and anonymous.
  const olaBrowser = new Browser()
  await olaBrowser.request(baseA, '/login')
  const login = await olaBrowser.request(baseA, '/login', { identifier: ola.username, password: ola.password })
  assert.equal(login.status, 303, 'logged in through A')
  const kariBrowser = new Browser(kariSession)
  const anonymous = new Browser()
  for (const reader of [olaBrowser, kariBrowser, anonymous]) {
    for (let i = 0; i < 2; i++) assert.equal((await reader.request(baseB, '/micro')).status, 200) // B keeps the page
  }
  assert.match((await olaBrowser.request(baseB, '/micro')).body, /Ola Skriver/, 'the session made on A works on B')
  await olaBrowser.request(baseA, '/micro')
  const written = await olaBrowser.request(baseA, '/micro', { body: 'Skrevet gjennom A, lest gjennom B' })
  assert.equal(written.status, 303, 'the update was posted through A')
  for (const reader of [kariBrowser, anonymous, olaBrowser]) {
    assert.match((await reader.request(baseB, '/micro')).body, /Skrevet gjennom A, lest gjennom B/, 'the next page on B shows it')
  }
  // And the other way round, on the post's own page.
  const id = /#micro_(\d+)$/.exec(written.location)?.[1]
  assert.ok(id, written.location)
  await kariBrowser.request(baseA, `/micro/${id}`)
  assert.equal((await kariBrowser.request(baseB, `/micro/${id}/reply`, { body: 'Svar gjennom B' })).status, 303)
  assert.match((await anonymous.request(baseA, `/micro/${id}`)).body, /Svar gjennom B/, 'the thread on A shows the reply made on B')

  // The writers: each session takes its CSRF token from a page served by whichever instance nginx picks
  // (the empty end of the timeline: every page has it).
  const writers = await Promise.all(sessions.map(async (own) => Promise.all(own.map(async (s) => {
    const browser = new Browser(s)
    assert.equal((await browser.request(proxy.base, '/micro?before=1')).status, 200)
    assert.ok(browser.csrf, 'a CSRF token on the timeline')
    return browser
  }))))

  phase('coherence')
  const sent: Sent[] = []
  let stopped = false
  cleanup.after(() => { stopped = true })
  const t0 = performance.now()
  async function send(kind: Sent['kind'], text: string, go: () => Promise<Answer>) {
    const startedAt = performance.now() - t0
    try {
      const answer = await go()
      sent.push({ kind, text, startedAt, endedAt: performance.now() - t0, status: answer.status, upstream: answer.upstream })
    } catch (err) {
      sent.push({ kind, text, startedAt, endedAt: performance.now() - t0, status: 0, upstream: '', error: String((err as Error).cause ?? err) })
    }
  }
  const load = Promise.all([
    ...writers.map(async (own, w) => {
      for (let n = 0; !stopped && n < own.length * POSTING_LIMIT.max; n++) {
        const text = `Oppdatering ${n} fra skribent ${w}`
        await send('write', text, () => own[n % own.length]!.request(proxy.base, '/micro', { body: text }))
        await new Promise((r) => setTimeout(r, PAUSE_MS))
      }
    }),
    ...[kariBrowser, anonymous].map(async (reader) => {
      while (!stopped) await send('read', '', () => reader.request(proxy.base, '/micro'))
    }),
  ])
  // The load runs on both instances for a while, then A is killed mid-load; it goes on past the time
  // nginx tries A again (fail_timeout).
  const acked = (upstream: string) => sent.filter((s) => s.kind === 'write' && s.status === 303 && s.upstream === upstream).length
  for (let i = 0; i < 200 && (acked(hostA) < 20 || acked(hostB) < 20); i++) await new Promise((r) => setTimeout(r, 50))
  a.child.kill('SIGKILL')
  const killedAt = performance.now() - t0
  await a.exited
  const failTimeoutMs = Number(/fail_timeout=(\d+)s/.exec(fs.readFileSync(path.join(nginxDir, 'nginx.conf'), 'utf8'))?.[1] ?? 5) * 1000
  await new Promise((r) => setTimeout(r, Math.max(3_000, failTimeoutMs + 1_500)))
  stopped = true
  await load

  phase('load')
  const writes = sent.filter((s) => s.kind === 'write')
  const before = writes.filter((s) => s.endedAt < killedAt && s.status === 303)
  assert.ok(before.some((s) => s.upstream === hostA) && before.some((s) => s.upstream === hostB), 'before the kill both instances took writes')
  const failedOver = killedAt + GRACE_MS
  const after = sent.filter((s) => s.startedAt >= failedOver)
  const bad = after.filter((s) => s.status !== (s.kind === 'write' ? 303 : 200) || s.upstream !== hostB)
  assert.deepEqual(bad, [], `every request after the failover is answered by the survivor, without a 5xx${diagnose(b)}`)
  assert.ok(after.filter((s) => s.kind === 'write').length >= WRITERS, `writes went on after the failover (${after.length})`)
  const failed = writes.filter((s) => s.status !== 303)
  assert.ok(failed.every((s) => s.startedAt < failedOver), 'only requests under way at the kill failed')
  // A POST that reached A is answered 502, never sent to B again (B would save it twice, or refuse it as a repeat).
  assert.deepEqual(failed.filter((s) => s.status !== 502), [], 'the writes under way at the kill were answered 502')

  // The survivor is healthy, and the database holds every acknowledged write, each exactly once.
  assert.doesNotMatch(b.output(), /"level":(50|60)/, `no error in the survivor's log${diagnose(b)}`)
  const health = await fetch(`${baseB}/healthz`)
  assert.equal(health.status, 200)
  assert.equal(((await health.json()) as { status: string }).status, 'ok')
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  const stored = new Map<string, number>()
  try {
    const { rows } = await client.query<{ body: string }>(`select body from micro_posts where body like 'Oppdatering % fra skribent %'`)
    for (const r of rows) stored.set(r.body, (stored.get(r.body) ?? 0) + 1)
  } finally {
    await client.end()
  }
  const acknowledged = writes.filter((s) => s.status === 303)
  const lost = acknowledged.filter((s) => !stored.has(s.text))
  assert.deepEqual(lost, [], '0 acknowledged writes lost')
  assert.deepEqual([...stored].filter(([, n]) => n > 1), [], 'no write stored twice (nginx does not send a POST again)')
  const unacknowledgedStored = failed.filter((s) => stored.has(s.text)).length
  t.diagnostic(`${writes.length} writes (${acknowledged.length} acknowledged, ${failed.length} failed while A died, ${unacknowledgedStored} of those stored), ` +
    `${sent.length - writes.length} reads; kill at ${Math.round(killedAt)} ms, ${after.length} requests after the failover, all from B; ${phases.join(', ')}`)
})
