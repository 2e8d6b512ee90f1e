// Ownership and review dates: a post's owner page (editors and the owner), "mark as reviewed", and the
// editors' list of posts due for review ("Til gjennomgang"), with the site's default review period.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireEditor, requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { postPath } from '../posts/post.js'
import type { Job } from '../jobs/scheduler.js'
import { bumpContentGeneration } from '../web/page-cache.js'
import { countDue, findHighestPostId, listDue, type ReviewSort } from './queries.js'
import {
  markReviewed, osloDay, reviewMonths, saveOwnership, sendReviewReminders, setReviewMonths, stewardshipForEdit,
} from './service.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const OwnershipBody = Type.Object({ owner: text(100), unit: text(400), reviewBy: text(40), _csrf: text(200) })
const EditQuery = Type.Object({ saved: text(5), reviewed: text(5) })
const SORTS: ReviewSort[] = ['due', 'due-desc', 'title']
const ListQuery = Type.Object({ show: text(20), sort: text(20), saved: text(5) })
const MonthsBody = Type.Object({ months: text(20), _csrf: text(200) })
/** The list shows at most this many rows (and says so); the filter narrows it. */
const LIST_MAX = 200
const SOON_DAYS = 30

/** Reminds owners of posts due for review (hourly; each due date is reminded once). */
export const reviewReminderJob: Job = {
  name: 'review-reminders',
  intervalMs: 60 * 60_000,
  async run(app, now) {
    const sent = await sendReviewReminders(app.db, now)
    if (sent) {
      bumpContentGeneration() // unread badges changed
      app.log.info({ posts: sent }, 'review reminders sent')
    }
  },
}

export async function stewardshipRoutes(app: FastifyInstance) {
  async function editPage(id: number, req: Parameters<typeof requireLogin>[0], values?: Record<string, string>) {
    const { post, s } = await stewardshipForEdit(app.db, id, req.user!)
    return {
      title: req.t('stewardship.title'), post: { id: post.id, title: post.title, url: postPath(post.slug) },
      reviewedAt: s.reviewed_at, reviewerName: s.reviewer_name, reviewBy: s.review_by, overdue: s.review_by < osloDay(new Date()),
      months: await reviewMonths(app.db),
      form: { values: values ?? { owner: s.owner_username ?? '', unit: s.owner_unit, reviewBy: s.review_by }, errors: {} },
    }
  }

  app.get('/posts/:id/ownership', { preHandler: requireLogin, schema: { params: IdParams, querystring: EditQuery } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const q = req.query as Static<typeof EditQuery>
    const notice = q.reviewed ? 'stewardship.reviewedNotice' : q.saved ? 'common.saved' : undefined
    return reply.viewAsync('stewardship/edit', { ...(await editPage(id, req)), notice })
  })

  app.post('/posts/:id/ownership', { preHandler: requireLogin, schema: { params: IdParams, body: OwnershipBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const b = req.body as Static<typeof OwnershipBody>
    const values = { owner: b.owner ?? '', unit: b.unit ?? '', reviewBy: b.reviewBy ?? '' }
    const ok = await submitForm(reply, 'stewardship/edit', values, await editPage(id, req, values), () => saveOwnership(app.db, req.user!, id, values))
    return ok ? reply.redirect(`/posts/${id}/ownership?saved=1`, 303) : reply
  })

  app.post('/posts/:id/reviewed', { preHandler: requireLogin, schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await markReviewed(app.db, req.user!, id)
    return reply.redirect(`/posts/${id}/ownership?reviewed=1`, 303)
  })

  async function listPage(req: Parameters<typeof requireLogin>[0], show: string, sort: ReviewSort) {
    const today = osloDay(new Date())
    const offset = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
    // Overdue: due before today. Otherwise also what falls due within SOON_DAYS.
    const limit = show === 'overdue' ? offset(-1) : offset(SOON_DAYS)
    const count = await countDue(app.db, limit)
    const plan = { due: count, posts: await findHighestPostId(app.db) }
    const [rows, months] = await Promise.all([listDue(app.db, limit, sort, LIST_MAX, plan), reviewMonths(app.db)])
    return {
      title: req.t('review.title'), show, sort, count, months,
      items: rows.map((r) => ({
        id: r.id, title: r.title, url: postPath(r.slug), unit: r.owner_unit, reviewBy: r.review_by, reviewedAt: r.reviewed_at,
        owner: r.owner_username && r.owner_name ? { name: r.owner_name, url: `/users/${encodeURIComponent(r.owner_username)}` } : undefined,
        overdue: r.review_by < today,
      })),
    }
  }

  app.get('/review', { preHandler: requireEditor, schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof ListQuery>
    const show = q.show === 'overdue' ? 'overdue' : 'soon'
    const sort = SORTS.includes(q.sort as ReviewSort) ? (q.sort as ReviewSort) : 'due'
    const data = await listPage(req, show, sort)
    return reply.viewAsync('stewardship/list', { ...data, notice: q.saved ? 'review.months.saved' : undefined, form: { values: { months: String(data.months) }, errors: {} } })
  })

  app.post('/review/settings', { preHandler: requireEditor, schema: { body: MonthsBody } }, async (req, reply) => {
    const values = { months: (req.body as Static<typeof MonthsBody>).months ?? '' }
    const ok = await submitForm(reply, 'stewardship/list', values, await listPage(req, 'soon', 'due'), () => setReviewMonths(app.db, req.user!, values.months))
    return ok ? reply.redirect('/review?saved=1', 303) : reply
  })
}
