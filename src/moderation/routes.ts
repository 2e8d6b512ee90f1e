import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireEditor } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { safeNextPath } from '../web/next-path.js'
import { dismissReports, hideItem, restoreItem } from './service.js'
import { actPage, itemsPage } from './pages.js'

const Subject = Type.Union([Type.Literal('micro'), Type.Literal('comment')])
const ActParams = Type.Object({ type: Subject, id: Type.Integer({ minimum: 1 }), act: Type.Union([Type.Literal('hide'), Type.Literal('restore')]) })
const ItemParams = Type.Object({ itemId: Type.Integer({ minimum: 1 }) })
const AfterQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 1 })) })
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) })
const ActBody = Type.Object({
  reason: Type.String({ maxLength: 20_000 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
})

// The editors' moderation: the queue of reported items, hidden items, hide / restore / keep.
export async function moderationRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireEditor)

  app.get('/moderation', { schema: { querystring: AfterQuery } }, async (req, reply) => {
    const { after } = req.query as Static<typeof AfterQuery>
    return reply.viewAsync('moderation/queue', await itemsPage(app.db, req, 'open', after))
  })

  app.get('/moderation/hidden', { schema: { querystring: AfterQuery } }, async (req, reply) => {
    const { after } = req.query as Static<typeof AfterQuery>
    return reply.viewAsync('moderation/queue', await itemsPage(app.db, req, 'hidden', after))
  })

  app.get('/moderation/:type/:id/:act', { schema: { params: ActParams, querystring: NextQuery } }, async (req, reply) => {
    const { type, id, act } = req.params as Static<typeof ActParams>
    const page = await actPage(app.db, req, type, id, act, (req.query as Static<typeof NextQuery>).next)
    return reply.viewAsync('moderation/act', { ...page, form: { values: { reason: '' }, errors: {} } })
  })

  app.post('/moderation/:type/:id/:act', { schema: { params: ActParams, body: ActBody } }, async (req, reply) => {
    const { type, id, act } = req.params as Static<typeof ActParams>
    const body = req.body as Static<typeof ActBody>
    const page = await actPage(app.db, req, type, id, act, body.next)
    const ok = await submitForm(reply, 'moderation/act', { reason: body.reason }, page, () =>
      (act === 'hide' ? hideItem : restoreItem)(app.db, req.user!, type, id, body.reason))
    if (!ok) return reply
    req.log.info({ type, id, act }, 'moderation act')
    return reply.redirect(body.next ? safeNextPath(body.next) : page.subject.href, 303)
  })

  app.post('/moderation/items/:itemId/keep', { schema: { params: ItemParams } }, async (req, reply) => {
    const { itemId } = req.params as Static<typeof ItemParams>
    await dismissReports(app.db, req.user!, itemId)
    req.log.info({ itemId }, 'reports dismissed')
    return reply.redirect('/moderation', 303)
  })
}
