// The intranet day: the default internal site, where everyone is logged in. Many distinct people
// (each with a session of their own) open what people open — the front page, recent posts, tag
// archives, the timeline, their notifications, a search — with a realistic skew, while other people
// write (comments, updates, likes) at a steady rate. Plus a cold row per page kind: every URL new,
// so no cache can answer.
import { createHash, randomBytes } from 'node:crypto'
import SQLite from 'better-sqlite3'
import autocannon, { type Result } from 'autocannon'
import { random, TextMaker } from './vocabulary.js'
import { Latencies, percentile } from './latency.js'
import { TEXT_SEED } from './seed.js'

export interface Person {
  userId: number
  /** The Cookie header a browser of this person sends: session and CSRF secret. */
  cookie: string
  /** A CSRF token for this person's forms. */
  csrf: string
}

export interface Site {
  /** Slugs and ids of the newest published posts, newest first. */
  recent: { id: number; slug: string }[]
  /** Tags, the most used first. */
  tags: string[]
  /** Ids of the newest microblog updates (for likes). */
  updates: number[]
  targetSlug: string
}

/** Whom and what each person with a session follows (their personal timeline's sources). */
const FOLLOWS = { people: 20, tags: 3 }

/**
 * Sessions straight into the database (logging 2,000 people in would hash 2,000 passwords). Each
 * person also follows FOLLOWS.people others and FOLLOWS.tags of the 30 most used tags, the same
 * ones every run, so their personal timeline has something in it (where the schema has following).
 */
export function insertSessions(file: string, users: number): { userId: number; token: string }[] {
  const db = new SQLite(file)
  try {
    addFollows(db, users)
    const now = new Date()
    const at = now.toISOString()
    const expires = new Date(now.getTime() + 30 * 86_400_000).toISOString()
    const ins = db.prepare('insert into sessions (id, user_id, created_at, last_seen_at, expires_at, ip, user_agent) values (?, ?, ?, ?, ?, null, ?)')
    const out: { userId: number; token: string }[] = []
    db.transaction(() => {
      for (let userId = 1; userId <= users; userId++) {
        const token = randomBytes(32).toString('base64url')
        ins.run(createHash('sha256').update(token).digest('hex'), userId, at, at, expires, 'bench')
        out.push({ userId, token })
      }
    })()
    return out
  } finally {
    db.close()
  }
}

function addFollows(db: SQLite.Database, users: number): void {
  if (!db.prepare("select 1 from sqlite_master where type = 'table' and name = 'user_follows'").get()) return
  const people = (db.prepare('select max(id) as n from users').get() as { n: number }).n
  const tags = (db.prepare('select id from tags order by post_count desc, id limit 30').all() as { id: number }[]).map((t) => t.id)
  const at = new Date().toISOString()
  const person = db.prepare('insert or ignore into user_follows (follower_id, followed_id, created_at) values (?, ?, ?)')
  const tag = db.prepare('insert or ignore into tag_follows (user_id, tag_id, created_at) values (?, ?, ?)')
  db.transaction(() => {
    for (let userId = 1; userId <= users; userId++) {
      for (let k = 0; k < FOLLOWS.people; k++) {
        const followed = ((userId * 37 + k * 101) % people) + 1
        if (followed !== userId) person.run(userId, followed, at)
      }
      for (let k = 0; k < Math.min(FOLLOWS.tags, tags.length); k++) tag.run(userId, tags[(userId + k * 7) % tags.length]!, at)
    }
  })()
}

/** What the day's requests and writes refer to. */
export function readSite(file: string, targetSlug: string): Site {
  const db = new SQLite(file, { readonly: true })
  try {
    const recent = db.prepare("select id, slug from posts where status = 'published' order by published_at desc, id desc limit 200").all() as { id: number; slug: string }[]
    const tags = (db.prepare('select name from tags order by post_count desc limit 300').all() as { name: string }[]).map((t) => t.name)
    const updates = (db.prepare('select id from micro_posts where hidden_at is null order by id desc limit 500').all() as { id: number }[]).map((u) => u.id)
    return { recent, tags, updates, targetSlug }
  } finally {
    db.close()
  }
}

/** The author with the most published posts (the author page that costs the most). */
export function busiestAuthor(file: string): string {
  const db = new SQLite(file, { readonly: true })
  try {
    const row = db.prepare("select u.username from posts p join users u on u.id = p.author_id where p.status = 'published' group by u.id order by count(*) desc limit 1").get() as { username: string }
    return row.username
  } finally {
    db.close()
  }
}

/** Sets the site's visibility in the database (an administrator's saved setting wins over the environment). */
export function setVisibility(file: string, visibility: 'internal' | 'public'): void {
  const db = new SQLite(file)
  try {
    db.prepare("insert into settings (key, value, updated_at, updated_by) values ('visibility', ?, ?, null) on conflict (key) do update set value = excluded.value")
      .run(visibility, new Date().toISOString())
  } finally {
    db.close()
  }
}

/**
 * Each person's browser: their session cookie, and the CSRF secret cookie and a token from their first
 * page (the account settings, a page outside the measured mix), a few at a time.
 */
export async function openBrowsers(base: string, cookieName: string, sessions: { userId: number; token: string }[]): Promise<Person[]> {
  const people: Person[] = new Array(sessions.length)
  let next = 0
  const worker = async () => {
    while (next < sessions.length) {
      const i = next++
      const s = sessions[i]!
      const session = `${cookieName}=${s.token}`
      const res = await fetch(`${base}/settings`, { headers: { cookie: session }, redirect: 'manual' })
      const html = await res.text()
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
      const secret = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /^(__Host-)?csrf=/.test(c))
      if (!csrf || !secret) throw new Error(`no CSRF token for user ${s.userId} (status ${res.status})`)
      const person = (people[i] = { userId: s.userId, cookie: `${session}; ${secret}`, csrf })
      // Someone who has used the site before: their feed key (made on the first page with feed links) exists.
      await (await fetch(`${base}/`, { headers: { cookie: person.cookie } })).arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  return people
}

export type Kind = 'front page' | 'recent posts' | 'tag archive' | 'timeline' | 'notifications' | 'search'
export const KINDS: Kind[] = ['front page', 'recent posts', 'tag archive', 'timeline', 'notifications', 'search']
/** Share of the day's page views (the mix row). */
const WEIGHTS: Record<Kind, number> = { 'front page': 30, 'recent posts': 25, 'tag archive': 12, timeline: 15, notifications: 8, search: 10 }

/** Draws the pages people open: popular things far more often than the long tail. */
export class Day {
  private readonly text = new TextMaker(TEXT_SEED)
  private readonly rnd = random(7)
  private readonly queries: string[]

  constructor(private readonly site: Site) {
    // What people search for: a few hundred searches, some much more common than others.
    const q = new Set<string>()
    const words = new TextMaker(TEXT_SEED)
    while (q.size < 300) q.add(q.size % 4 === 0 ? `${words.vocabulary[words.rank(2_000, 5)]} ${words.vocabulary[words.rank(2_000, 5)]}` : words.vocabulary[words.rank(2_000, 5)]!)
    this.queries = [...q]
  }

  kind(): Kind {
    let r = this.rnd() * 100
    for (const k of KINDS) if ((r -= WEIGHTS[k]) < 0) return k
    return 'front page'
  }

  path(kind: Kind): string {
    const s = this.site
    switch (kind) {
      case 'front page': return '/'
      case 'recent posts': return `/posts/${encodeURIComponent(s.recent[this.text.rank(s.recent.length, 3)]!.slug)}`
      case 'tag archive': return `/tags/${encodeURIComponent(s.tags[this.text.rank(s.tags.length, 3)]!)}`
      case 'timeline': return '/micro'
      case 'notifications': return '/notifications'
      case 'search': return `/search?q=${encodeURIComponent(this.queries[this.text.rank(this.queries.length, 3)]!)}`
    }
  }

  /** A URL of this kind nobody asked for before (the cold rows). */
  coldPath(kind: Kind | 'post, 50 comments', n: number): string {
    const s = this.site
    switch (kind) {
      case 'front page': return `/?cold=${n}`
      case 'post, 50 comments': return `/posts/${encodeURIComponent(s.targetSlug)}?cold=${n}`
      case 'recent posts': return `/posts/${encodeURIComponent(s.recent[n % s.recent.length]!.slug)}?cold=${n}`
      case 'tag archive': return `/tags/${encodeURIComponent(s.tags[n % s.tags.length]!)}?cold=${n}`
      case 'timeline': return `/micro?cold=${n}`
      case 'notifications': return `/notifications?cold=${n}`
      case 'search': return `/search?q=${encodeURIComponent(`${this.text.vocabulary[this.text.rank(this.text.vocabulary.length, 20)]} ${this.text.vocabulary[this.text.rank(this.text.vocabulary.length, 20)]}`)}&cold=${n}`
    }
  }

  int(max: number): number {
    return Math.floor(this.rnd() * max)
  }

  recentPost(): { id: number; slug: string } {
    return this.site.recent[this.text.rank(this.site.recent.length, 3)]!
  }

  update(): number {
    return this.site.updates[this.text.rank(this.site.updates.length, 3)]!
  }

  sentence(): string {
    return this.text.sentence(6 + this.int(20))
  }
}

export interface WriteStats { sent: number; failed: number }

/**
 * Writes by many people at `perSecond`: comments on recent posts (40 %), new updates (40 %) and likes
 * (20 %), each by a person drawn at random. Returns a stop function that resolves to the counts.
 */
export function startWriters(bases: string | string[], people: Person[], day: Day, perSecond: number): () => Promise<WriteStats> {
  const stats: WriteStats = { sent: 0, failed: 0 }
  const pending = new Set<Promise<void>>()
  const targets = [bases].flat()
  const writeOne = async () => {
    const base = targets[stats.sent % targets.length]! // several instances: each write through the next
    const person = people[day.int(people.length)]!
    const r = day.int(10)
    let path: string
    let form: Record<string, string>
    if (r < 4) {
      path = '/comments'
      form = { postId: String(day.recentPost().id), body: day.sentence() }
    } else if (r < 8) {
      path = '/micro'
      form = { body: day.sentence() }
    } else {
      const id = day.update()
      path = `/micro/${id}/like`
      form = { next: '/micro' }
    }
    const res = await fetch(base + path, {
      method: 'POST', redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: person.cookie },
      body: new URLSearchParams({ ...form, _csrf: person.csrf }).toString(),
    })
    await res.arrayBuffer()
    stats.sent++
    if (res.status >= 400) stats.failed++
  }
  const timer = perSecond > 0 ? setInterval(() => {
    const p = writeOne().catch(() => void stats.failed++).finally(() => pending.delete(p))
    pending.add(p)
  }, 1000 / perSecond) : undefined
  return async () => {
    if (timer) clearInterval(timer)
    await Promise.all(pending)
    return stats
  }
}

export interface MixResult {
  total: Result
  /** Per page kind: answered requests, their latencies (ms) on open connections (latency.ts), non-2xx answers. */
  byKind: Map<string, { count: number; latencies: number[]; non2xx: number }>
  /** Each connection's first answer (ms): its wait to be accepted included. */
  opening: number[]
}

/**
 * 50 connections, each request a page drawn by `pick` for a person drawn at random. Latency per page
 * kind comes from autocannon's response events (a connection has one request in flight at a time);
 * a connection's first answer counts apart (`opening`, see latency.ts).
 */
export async function measureDay(url: string, people: Person[], pick: () => { kind: string; path: string }, seconds: number, connections = 50, seed = 11): Promise<MixResult> {
  const rnd = random(seed)
  const byKind: MixResult['byKind'] = new Map()
  const requests = [{
    method: 'GET',
    setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
      const { kind, path } = pick()
      context.kind = kind
      const person = people[Math.floor(rnd() * people.length)]!
      return { ...req, path, headers: { ...(req.headers as Record<string, string>), cookie: person.cookie } }
    },
  }]
  const latencies = new Latencies()
  const instance = autocannon({ url, connections, duration: seconds, headers: { 'accept-encoding': 'gzip, deflate, br' }, requests, timeout: 30 })
  instance.on('response', (client: { requestIterator: { context: Record<string, unknown> } }, status: number, _bytes: number, ms: number) => {
    const kind = String(client.requestIterator.context.kind)
    let k = byKind.get(kind)
    if (!k) byKind.set(kind, (k = { count: 0, latencies: [], non2xx: 0 }))
    k.count++
    if (latencies.add(client, ms) === 'open') k.latencies.push(ms)
    if (status >= 300) k.non2xx++
  })
  const total = await instance
  return { total, byKind, opening: latencies.opening }
}

/**
 * measureDay over several instances at once: the connections split between them (one autocannon
 * each, side by side in this process), the answers counted together.
 */
export async function measureDayOn(urls: string[], people: Person[], pick: () => { kind: string; path: string }, seconds: number, connections = 50): Promise<MixResult> {
  if (urls.length === 1) return measureDay(urls[0]!, people, pick, seconds, connections)
  const parts = await Promise.all(urls.map((url, i) => measureDay(url, people, pick, seconds, share(connections, urls.length, i), 11 + i)))
  const byKind: MixResult['byKind'] = new Map()
  for (const part of parts) {
    for (const [kind, k] of part.byKind) {
      const into = byKind.get(kind) ?? { count: 0, latencies: [], non2xx: 0 }
      into.count += k.count
      into.non2xx += k.non2xx
      for (const ms of k.latencies) into.latencies.push(ms)
      byKind.set(kind, into)
    }
  }
  const sum = (f: (r: Result) => number) => parts.reduce((n, p) => n + f(p.total), 0)
  const total = { ...parts[0]!.total, requests: { ...parts[0]!.total.requests, total: sum((r) => r.requests.total) }, non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors) }
  return { total, byKind, opening: parts.flatMap((p) => p.opening) }
}

/** Instance i's part of `connections` split between `n` instances. */
export function share(connections: number, n: number, i: number): number {
  return Math.floor(connections / n) + (i < connections % n ? 1 : 0)
}

export { percentile } from './latency.js'

/**
 * A side against the first, turn by turn (both asked within the same seconds, so they share the
 * machine's drift): the median difference and its middle half, to `digits` places, and in how many
 * turns this side cost less. For the before-after tools.
 */
export function pairedTurns(side: number[], first: number[], digits: number): string {
  const d = side.map((v, t) => v - first[t]!).sort((a, b) => a - b)
  const sign = (v: number) => `${v > 0 ? '+' : ''}${v.toFixed(digits)}`
  return `(${sign(percentile(d, 50))} [${sign(percentile(d, 25))}, ${sign(percentile(d, 75))}], less in ${d.filter((v) => v < 0).length}/${d.length})`
}
