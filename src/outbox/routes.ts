import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { countOutboxByStatus, listOutboxMessages } from './queries.js'
import { retryOutboxMessage } from './service.js'

const LIMIT = 100
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const PageQuery = Type.Object({ retried: Type.Optional(Type.String({ maxLength: 5 })) })
const STATUSES = ['pending', 'sending', 'failed', 'sent', 'skipped'] as const

// Administration of the outbox: what waits, what failed and why, and a button to send again.
export async function outboxRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  app.get('/admin/outbox', { schema: { querystring: PageQuery } }, async (req, reply) => {
    const [counts, queue, failures, recent] = await Promise.all([
      countOutboxByStatus(app.db),
      listOutboxMessages(app.db, ['pending', 'sending'], LIMIT, true),
      listOutboxMessages(app.db, ['failed'], LIMIT, false),
      listOutboxMessages(app.db, ['sent', 'skipped'], 20, false),
    ])
    return reply.viewAsync('outbox/admin', {
      title: req.t('outbox.title'), counts: STATUSES.map((s) => ({ status: s, n: counts[s] ?? 0 })),
      queue, failures, recent, maxAttempts: app.config.outbox.maxAttempts,
      notice: (req.query as Static<typeof PageQuery>).retried ? 'outbox.retried' : undefined,
    })
  })

  app.post('/admin/outbox/:id/retry', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await retryOutboxMessage(app.db, req.user!, id)
    req.log.info({ outboxId: id }, 'outbox message retried')
    return reply.redirect('/admin/outbox?retried=1', 303)
  })
}
