// The monthly summary: a page for any month, and once a month a notification to every editor (in the
// site, and by e-mail at once unless they chose otherwise under Settings → Notifications: the
// 'stats.summary' kind). The job may run any time and as often as it likes: stats_summaries records
// each month sent, in the same transaction as the notifications. A month without any recorded reading
// (before statistics existed, or a fresh site) gets no summary.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Job } from '../jobs/scheduler.js'
import { notifyEditors } from '../notifications/service.js'
import { bumpContentGeneration } from '../web/page-cache.js'
import { monthPeriod, previousMonth } from './period.js'
import { countViewsBetween, insertSummaryMark } from './queries.js'
import { contributionsPerMonth, queueTimes, topPosts, topTags, useOverTime } from './service.js'

export async function monthlySummary(db: Kysely<DB>, month: string) {
  const p = monthPeriod(month)
  const [use, contributions, queue, posts, tags] = await Promise.all([
    useOverTime(db, p), contributionsPerMonth(db, p), queueTimes(db, p), topPosts(db, p, 5), topTags(db, p, 5),
  ])
  const c = contributions[0] ?? { posts: 0, updates: 0, comments: 0, contributors: 0 }
  const views = use.points.reduce((n, x) => n + x.views, 0)
  const readers = Math.round(use.points.reduce((n, x) => n + x.readers, 0) / Math.max(1, use.points.length))
  return { month, views, readers, posts: c.posts, updates: c.updates, comments: c.comments, contributors: c.contributors, queue, topPosts: posts, topTags: tags }
}

/** Sends last month's summary to the editors unless it went already; true when it was sent now. */
export async function sendMonthlySummary(db: Kysely<DB>, now = new Date()): Promise<boolean> {
  const month = previousMonth(now)
  const p = monthPeriod(month)
  if (!(await countViewsBetween(db, p.from, p.to))) return false
  const s = await monthlySummary(db, month)
  return db.transaction().execute(async (trx) => {
    if (!(await insertSummaryMark(trx, month, now.toISOString()))) return false
    await notifyEditors(trx, {
      kind: 'stats.summary', actorId: null, subjectType: 'site', subjectId: 0,
      data: { month, views: s.views, posts: s.posts, comments: s.comments, href: `/statistics/summary?month=${month}` },
    }, undefined, now)
    return true
  })
}

export const monthlySummaryJob: Job = {
  name: 'statistics-summary',
  intervalMs: 60 * 60_000,
  async run(app, now) {
    if (await sendMonthlySummary(app.db, now)) {
      bumpContentGeneration() // the editors' unread badges changed
      app.log.info('monthly statistics summary sent')
    }
  },
}
