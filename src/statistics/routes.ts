// The editors' statistics: the overview for a period (views and readers over time, per kind of page,
// most read posts, contributions per month, editorial handling time, top tags), one post's views over
// time, CSV of each table, and the monthly summary.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { InvalidError, NotFoundError } from '../errors.js'
import { requireEditor } from '../web/guards.js'
import { findPostById } from '../posts/queries.js'
import { postPath } from '../posts/post.js'
import { columnChart } from './charts.js'
import { toCsv } from './csv.js'
import { lastDays, parsePeriod, previousMonth, type Period } from './period.js'
import { postViewsOverTime, statisticsFor } from './service.js'
import { monthlySummary } from './summary.js'
import { duration, labels, statisticsView } from './view.js'

const text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const PeriodQuery = Type.Object({ from: text(20), to: text(20) })
const SETS = ['use', 'kinds', 'posts', 'contributions', 'queue', 'tags'] as const
type CsvSet = (typeof SETS)[number]
const CsvQuery = Type.Object({ set: Type.Union(SETS.map((s) => Type.Literal(s))), from: text(20), to: text(20) })
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const MonthQuery = Type.Object({ month: text(20) })

function presets(now = new Date()) {
  return ([7, 30, 365] as const).map((days) => ({ days, ...lastDays(days, now) }))
}

export async function statisticsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireEditor)

  /** The period asked for, or the page again with the picker's errors (422). */
  async function periodOr422(req: FastifyRequest, reply: FastifyReply, view: string, extra: Record<string, unknown> = {}): Promise<Period | undefined> {
    const q = req.query as Static<typeof PeriodQuery>
    try {
      return parsePeriod(q)
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err
      const html = await reply.viewAsync(view, { title: req.t('stats.title'), ...extra, presets: presets(), form: { values: q, errors: err.fields } })
      reply.code(422).send(html)
      return undefined
    }
  }

  app.get('/statistics', { schema: { querystring: PeriodQuery } }, async (req, reply) => {
    const period = await periodOr422(req, reply, 'statistics/index')
    if (!period) return reply
    const stats = statisticsView(await statisticsFor(app.db, period), req.t, req.lang)
    const query = `from=${period.from}&to=${period.to}`
    return reply.viewAsync('statistics/index', { title: req.t('stats.title'), stats, query, presets: presets(), form: { values: period, errors: {} } })
  })

  app.get('/statistics/posts/:id', { schema: { params: IdParams, querystring: PeriodQuery } }, async (req, reply) => {
    const post = await findPostById(app.db, (req.params as Static<typeof IdParams>).id)
    if (!post || post.status !== 'published') throw new NotFoundError('post')
    const postView = { id: post.id, title: post.title, url: postPath(post.slug) }
    const period = await periodOr422(req, reply, 'statistics/post', { post: postView })
    if (!period) return reply
    const l = labels(req.lang)
    const points = await postViewsOverTime(app.db, post.id, period)
    return reply.viewAsync('statistics/post', {
      title: req.t('stats.post.title', { title: post.title }), post: postView, from: l.long(period.from), to: l.long(period.to),
      chart: columnChart(points.map((p) => ({ label: l.short(p.key), values: [p.views] })), [req.t('stats.col.views')]),
      rows: points.map((p) => ({ label: l.long(p.key), views: p.views })), presets: presets(), form: { values: period, errors: {} },
    })
  })

  app.get('/statistics/export.csv', { schema: { querystring: CsvQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof CsvQuery>
    const period = parsePeriod(q) // a bad period here is a hand-made address: 422 from the error handler
    const s = await statisticsFor(app.db, period)
    const tables: Record<CsvSet, () => string> = {
      use: () => toCsv([s.bucket === 'day' ? 'day' : 'month', 'views', s.bucket === 'day' ? 'readers' : 'readers_per_day_avg'], s.use.map((p) => [p.key, p.views, p.readers])),
      kinds: () => toCsv(['kind', 'views'], s.kinds.map((k) => [k.kind, k.views])),
      posts: () => toCsv(['post_id', 'title', 'url', 'views'], s.posts.map((p) => [p.id, p.title, `${app.config.baseUrl}${p.url}`, p.views])),
      contributions: () => toCsv(['month', 'posts', 'updates', 'comments', 'active_contributors'], s.contributions.map((c) => [c.month, c.posts, c.updates, c.comments, c.contributors])),
      queue: () => toCsv(['decisions', 'median_hours', 'p90_hours'], [[s.queue.decisions, s.queue.medianHours, s.queue.p90Hours]]),
      tags: () => toCsv(['tag', 'posts'], s.tags.map((x) => [x.name, x.posts])),
    }
    return reply.header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="betablogg-${String(q.set)}-${period.from}-${period.to}.csv"`)
      .header('cache-control', 'private, no-store')
      .send(tables[q.set as CsvSet]())
  })

  app.get('/statistics/summary', { schema: { querystring: MonthQuery } }, async (req, reply) => {
    const raw = ((req.query as Static<typeof MonthQuery>).month ?? '').trim()
    const month = raw || previousMonth()
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      const html = await reply.viewAsync('statistics/summary', { title: req.t('stats.summary.title'), form: { values: { month: raw }, errors: { month: 'stats.summary.month.invalid' } } })
      return reply.code(422).send(html)
    }
    const s = await monthlySummary(app.db, month)
    const l = labels(req.lang)
    return reply.viewAsync('statistics/summary', {
      title: req.t('stats.summary.title'), heading: req.t('stats.summary.heading', { month: l.long(month) }),
      summary: { ...s, median: duration(req.t, req.lang, s.queue.medianHours) },
      fullQuery: `from=${month}-01&to=${new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10)}`,
      form: { values: { month }, errors: {} },
    })
  })
}
