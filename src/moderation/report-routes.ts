import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { ModerationSubject } from '../db/schema.js'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { safeNextPath } from '../web/next-path.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { REPORT_REASON_MAX, reportItem } from './service.js'
import { loadSubject } from './subjects.js'
import { findItem, findOpenReport } from './queries.js'

const Params = Type.Object({ type: Type.Union([Type.Literal('micro'), Type.Literal('comment')]), id: Type.Integer({ minimum: 1 }) })
const ReportBody = Type.Object({ reason: Type.String({ maxLength: 20_000 }), _csrf: Type.Optional(Type.String()) })
const ThanksQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) })

// Anyone logged in reports an update or a comment to the editors, with a reason.
export async function reportRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  // Refused before anything is written: one's own text, or something already reported and waiting.
  async function reportPage(req: FastifyRequest, type: ModerationSubject, id: number) {
    const loaded = await loadSubject(app.db, type, id)
    if (!loaded || loaded.subject.deleted) throw new NotFoundError(type)
    if (loaded.subject.hidden) throw new ConflictError('item not visible', 'report.unavailable')
    if (loaded.subject.authorId === req.user!.id) throw new ConflictError('own item', 'report.own')
    const item = await findItem(app.db, type, id)
    if (item && (await findOpenReport(app.db, item.id, req.user!.id))) throw new ConflictError('already reported', 'report.already')
    return { title: req.t(type === 'micro' ? 'report.title.micro' : 'report.title.comment'), subject: loaded.subject, maxChars: REPORT_REASON_MAX }
  }

  app.get('/report/:type/:id', { schema: { params: Params } }, async (req, reply) => {
    const { type, id } = req.params as Static<typeof Params>
    return reply.viewAsync('moderation/report', { ...(await reportPage(req, type, id)), form: { values: { reason: '' }, errors: {} } })
  })

  app.post('/report/:type/:id', { schema: { params: Params, body: ReportBody } }, async (req, reply) => {
    const { type, id } = req.params as Static<typeof Params>
    const { reason } = req.body as Static<typeof ReportBody>
    const page = await reportPage(req, type, id)
    const ok = await submitForm(reply, 'moderation/report', { reason }, page, () => reportItem(app.db, req.user!, type, id, reason))
    if (!ok) return reply
    req.log.info({ type, id }, 'item reported')
    return reply.redirect(`/report/thanks?next=${encodeURIComponent(page.subject.href.split('#')[0]!)}`, 303)
  })

  app.get('/report/thanks', { schema: { querystring: ThanksQuery } }, async (req, reply) => {
    const next = safeNextPath((req.query as Static<typeof ThanksQuery>).next)
    return reply.viewAsync('moderation/thanks', { title: req.t('report.thanks.title'), next })
  })
}
