import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { stopEmailFor } from '../notifications/delivery.js'
import { findRecipient } from './queries.js'
import type { MessageKey } from '../web/i18n/index.js'
import { renderErrorPage } from '../web/error-handler.js'
import { verifyUnsubscribe } from './unsubscribe-token.js'

const Params = Type.Object({ token: Type.String({ maxLength: 200 }) })
const Body = Type.Object({ 'List-Unsubscribe': Type.Optional(Type.String({ maxLength: 50 })) })

function what(req: FastifyRequest, scope: string): string {
  if (scope === 'weekly' || scope === 'daily' || scope === 'all') return req.t(`unsub.what.${scope}`)
  return req.t('unsub.what.kind', { kind: req.t(`notif.kind.${scope}` as MessageKey) })
}

// Stopping e-mail from a link in it, without logging in (the signed token is the permission).
// GET only asks (link checkers and previews open links); POST does it: the page's button, or a
// mail client's one-click request (RFC 8058), which gets a short plain answer.
export async function unsubscribeRoutes(app: FastifyInstance) {
  const check = async (token: string) => {
    const t = verifyUnsubscribe(app.config.sessionSecret, token)
    return t && (await findRecipient(app.db, t.userId)) ? t : undefined
  }

  app.get('/unsubscribe/:token', { config: { public: true }, schema: { params: Params } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const t = await check(token)
    if (!t) return renderErrorPage(req, reply, 404, 'unsub.invalid')
    reply.header('referrer-policy', 'no-referrer')
    return reply.viewAsync('mail/unsubscribe', { title: req.t('unsub.title'), token, what: what(req, t.scope), done: false })
  })

  // No CSRF token: a mail client posts without cookies, and the signed token authorises the request.
  app.post('/unsubscribe/:token', { config: { public: true, csrf: false }, schema: { params: Params, body: Type.Optional(Body) } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const t = await check(token)
    if (!t) return renderErrorPage(req, reply, 404, 'unsub.invalid')
    await stopEmailFor(app.db, t.userId, t.scope)
    req.log.info({ userId: t.userId, scope: t.scope }, 'e-mail unsubscribed')
    if ((req.body as Static<typeof Body> | undefined)?.['List-Unsubscribe'] === 'One-Click') {
      return reply.type('text/plain; charset=utf-8').send(req.t('unsub.done', { what: what(req, t.scope) }))
    }
    return reply.viewAsync('mail/unsubscribe', { title: req.t('unsub.title'), token, what: what(req, t.scope), done: true })
  })
}
