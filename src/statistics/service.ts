// The numbers behind the statistics pages, the CSV export and the monthly summary — read from the
// daily counters and from the content itself (contributions, decisions, tags).
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { postPath } from '../posts/post.js'
import { dayCount, daysOf, instants, monthsOf, type Period } from './period.js'
import {
  listActiveContributors, listContributions, listDailyReaders, listDailyViews, listDecisions, listPostDailyViews, listSubmissions,
  listTopPosts, listTopTags, listViewsByKind,
} from './queries.js'

/** Up to this many days the time series is per day; a longer period is shown per month. */
const DAILY_UP_TO = 92
const TOP = 20

export interface UsePoint { key: string; views: number; readers: number }
export interface Contribution { month: string; posts: number; updates: number; comments: number; contributors: number }
export interface QueueTimes { decisions: number; medianHours: number | null; p90Hours: number | null }

export interface Statistics {
  period: Period
  bucket: 'day' | 'month'
  use: UsePoint[]
  totalViews: number
  kinds: { kind: string; views: number }[]
  posts: { id: number; title: string; url: string; views: number }[]
  contributions: Contribution[]
  queue: QueueTimes
  tags: { name: string; posts: number }[]
}

/** Views and (estimated, distinct per day) readers per day, or per month with readers averaged per day. */
export async function useOverTime(db: Kysely<DB>, p: Period): Promise<{ bucket: 'day' | 'month'; points: UsePoint[] }> {
  const [views, readers] = await Promise.all([listDailyViews(db, p.from, p.to), listDailyReaders(db, p.from, p.to)])
  const v = new Map(views.map((r) => [r.day, Number(r.views)]))
  const r = new Map(readers.map((x) => [x.day, x.readers]))
  const days = daysOf(p)
  if (days.length <= DAILY_UP_TO) return { bucket: 'day', points: days.map((d) => ({ key: d, views: v.get(d) ?? 0, readers: r.get(d) ?? 0 })) }
  return {
    bucket: 'month',
    points: monthsOf(p).map((m) => {
      const inMonth = days.filter((d) => d.startsWith(m))
      const sum = (map: Map<string, number>) => inMonth.reduce((n, d) => n + (map.get(d) ?? 0), 0)
      return { key: m, views: sum(v), readers: Math.round(sum(r) / Math.max(1, inMonth.length)) }
    }),
  }
}

/**
 * [fromIso, toIso) cut where each UTC month begins: the months contributions are grouped by
 * (queries.ts), so each slice falls in one of them.
 */
export function utcMonthSlices(fromIso: string, toIso: string): [string, string][] {
  const out: [string, string][] = []
  for (let from = fromIso; from < toIso;) {
    const d = new Date(from)
    const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString()
    const to = next < toIso ? next : toIso
    out.push([from, to])
    from = to
  }
  return out
}

/**
 * Posts, updates, comments and the people who wrote them, per month. Read a month at a time, letting
 * other requests run in between: two years of a large site are some 400,000 contributions, and
 * counting their writers at once held a SQLite server for 0.6 s.
 */
export async function contributionsPerMonth(db: Kysely<DB>, p: Period): Promise<Contribution[]> {
  const { fromIso, toIso } = instants(p)
  const posts = new Map<string, number>(), updates = new Map<string, number>(), comments = new Map<string, number>(), people = new Map<string, number>()
  const add = (into: Map<string, number>, rows: { month: string; n: number }[]) => { for (const x of rows) into.set(x.month, Number(x.n)) }
  for (const [i, [from, to]] of utcMonthSlices(fromIso, toIso).entries()) {
    if (i) await nextTurn()
    const c = await listContributions(db, from, to)
    add(posts, c.posts)
    add(updates, c.updates)
    add(comments, c.comments)
    add(people, await listActiveContributors(db, from, to))
  }
  return monthsOf(p).map((month) => ({
    month, posts: posts.get(month) ?? 0, updates: updates.get(month) ?? 0, comments: comments.get(month) ?? 0, contributors: people.get(month) ?? 0,
  }))
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

/** From each submission to the editors' decision on it, for decisions made in the period. */
export async function queueTimes(db: Kysely<DB>, p: Period): Promise<QueueTimes> {
  const { fromIso, toIso } = instants(p)
  const decisions = await listDecisions(db, fromIso, toIso)
  const submissions = await listSubmissions(db, [...new Set(decisions.map((d) => d.subject_id))], toIso)
  const hours: number[] = []
  for (const d of decisions) {
    // The latest submission before the decision is the one decided on.
    const sub = submissions.filter((s) => s.subject_id === d.subject_id && s.at <= d.at).at(-1)
    if (sub) hours.push((Date.parse(d.at) - Date.parse(sub.at)) / 3_600_000)
  }
  hours.sort((a, b) => a - b)
  const round = (h: number | null) => (h === null ? null : Math.round(h * 10) / 10)
  return { decisions: hours.length, medianHours: round(percentile(hours, 0.5)), p90Hours: round(percentile(hours, 0.9)) }
}

export async function topPosts(db: Kysely<DB>, p: Period, limit = TOP) {
  return (await listTopPosts(db, p.from, p.to, limit)).map((r) => ({ id: r.id, title: r.title, url: postPath(r.slug), views: Number(r.views) }))
}

export async function topTags(db: Kysely<DB>, p: Period, limit = 15) {
  const { fromIso, toIso } = instants(p)
  return (await listTopTags(db, fromIso, toIso, limit)).map((r) => ({ name: r.name, posts: Number(r.posts) }))
}

export async function viewsByKind(db: Kysely<DB>, p: Period) {
  return (await listViewsByKind(db, p.from, p.to)).map((r) => ({ kind: r.kind, views: Number(r.views) }))
}

export async function statisticsFor(db: Kysely<DB>, p: Period): Promise<Statistics> {
  const [use, kinds, posts, contributions, queue, tags] = await Promise.all([
    useOverTime(db, p), viewsByKind(db, p), topPosts(db, p), contributionsPerMonth(db, p), queueTimes(db, p), topTags(db, p),
  ])
  return {
    period: p, bucket: use.bucket, use: use.points, totalViews: use.points.reduce((n, x) => n + x.views, 0), kinds, posts, contributions, queue, tags,
  }
}

/** One post's views per day in the period. */
export async function postViewsOverTime(db: Kysely<DB>, postId: number, p: Period): Promise<{ key: string; views: number }[]> {
  const rows = new Map((await listPostDailyViews(db, postId, p.from, p.to)).map((r) => [r.day, r.views]))
  return daysOf(p).slice(-Math.min(dayCount(p), 732)).map((d) => ({ key: d, views: rows.get(d) ?? 0 }))
}
