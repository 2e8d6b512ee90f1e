// /admin/webhooks: administrators configure outgoing webhooks, send a test and read the last
// deliveries with the receivers' answers.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { requireAdmin } from '../web/guards.js'
import { checked, submitForm } from '../web/forms.js'
import { WEBHOOK_EVENTS } from './events.js'
import { WEBHOOK_FORMATS } from './format.js'
import { findWebhook, lastDeliveries, listDeliveries, listWebhooks } from './queries.js'
import { changeWebhook, createWebhook, removeWebhook, renewWebhookSecret, sendTest, type WebhookInput } from './service.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const FormBody = Type.Object({
  name: Type.String({ maxLength: 1000 }),
  url: Type.String({ maxLength: 5000 }),
  format: Type.String({ maxLength: 20 }),
  events: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10 })])),
  tag: Type.Optional(Type.String({ maxLength: 1000 })),
  active: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
})
const NoticeQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) })
const Csrf = Type.Object({ _csrf: Type.Optional(Type.String()) })
const DELIVERIES_SHOWN = 20

function inputOf(body: Static<typeof FormBody>): WebhookInput {
  const events = body.events === undefined ? [] : Array.isArray(body.events) ? body.events : [body.events]
  return { name: body.name, url: body.url, format: body.format, events, tag: body.tag ?? '', active: checked(body.active) }
}

const choices = { formats: WEBHOOK_FORMATS, events: WEBHOOK_EVENTS }

export async function webhookRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)
  const allowPrivate = app.config.outgoingAllowPrivate

  app.get('/admin/webhooks', async (req, reply) => {
    const [hooks, last] = await Promise.all([listWebhooks(app.db), lastDeliveries(app.db)])
    return reply.viewAsync('webhooks/list', {
      title: req.t('webhooks.title'),
      hooks: hooks.map((h) => ({ id: h.id, name: h.name, host: hostOf(h.url), format: h.format, events: h.events.split(' '), tag: h.tag, active: !!h.active, last: last.get(h.id) })),
    })
  })

  app.get('/admin/webhooks/new', async (req, reply) => {
    return reply.viewAsync('webhooks/edit', { title: req.t('webhooks.new'), ...choices, form: { values: { name: '', url: '', format: 'teams', events: ['post.published'], tag: '', active: true }, errors: {} } })
  })

  app.post('/admin/webhooks/new', { schema: { body: FormBody } }, async (req, reply) => {
    const input = inputOf(req.body as Static<typeof FormBody>)
    let id = 0
    const ok = await submitForm(reply, 'webhooks/edit', input, { title: req.t('webhooks.new'), ...choices }, async () => {
      id = await createWebhook(app.db, req.user!, input, allowPrivate)
    })
    if (!ok) return reply
    req.log.info({ webhookId: id }, 'webhook created')
    return reply.redirect(`/admin/webhooks/${id}?done=created`, 303)
  })

  async function pageData(req: FastifyRequest, id: number) {
    const hook = await findWebhook(app.db, id)
    if (!hook) throw new NotFoundError('webhook')
    const deliveries = await listDeliveries(app.db, id, DELIVERIES_SHOWN)
    return { hook: { id: hook.id, name: hook.name, format: hook.format, secret: hook.secret }, deliveries, title: hook.name, ...choices,
      values: { name: hook.name, url: hook.url, format: hook.format, events: hook.events.split(' '), tag: hook.tag ?? '', active: !!hook.active } }
  }

  app.get('/admin/webhooks/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const { values, ...data } = await pageData(req, (req.params as Static<typeof IdParams>).id)
    return reply.viewAsync('webhooks/edit', { ...data, done: (req.query as Static<typeof NoticeQuery>).done, form: { values, errors: {} } })
  })

  app.post('/admin/webhooks/:id', { schema: { params: IdParams, body: FormBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const input = inputOf(req.body as Static<typeof FormBody>)
    const { values: _stored, ...data } = await pageData(req, id)
    const ok = await submitForm(reply, 'webhooks/edit', input, data, () => changeWebhook(app.db, req.user!, id, input, allowPrivate))
    if (!ok) return reply
    return reply.redirect(`/admin/webhooks/${id}?done=saved`, 303)
  })

  app.post('/admin/webhooks/:id/test', { schema: { params: IdParams, body: Csrf } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await sendTest(app.db, req.user!, id)
    return reply.redirect(`/admin/webhooks/${id}?done=test`, 303)
  })

  app.post('/admin/webhooks/:id/secret', { schema: { params: IdParams, body: Csrf } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await renewWebhookSecret(app.db, req.user!, id)
    return reply.redirect(`/admin/webhooks/${id}?done=secret`, 303)
  })

  app.post('/admin/webhooks/:id/delete', { schema: { params: IdParams, body: Csrf } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await removeWebhook(app.db, req.user!, id)
    req.log.info({ webhookId: id }, 'webhook deleted')
    return reply.redirect('/admin/webhooks', 303)
  })
}

/** The receiver's host: what the list shows (the full URL may carry a secret). */
function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return ''
  }
}
