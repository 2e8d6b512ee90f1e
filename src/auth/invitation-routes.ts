import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { acceptInvitation, findUsableInvitation } from '../users/service.js'
import { submitForm } from '../web/forms.js'
import { renderErrorPage } from '../web/error-handler.js'
import { startSession } from './sessions.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'

const Params = Type.Object({ token: Type.String({ maxLength: 100 }) })
const Body = Type.Object({
  password: Type.String({ maxLength: 1024 }),
  passwordConfirm: Type.String({ maxLength: 1024 }),
  _csrf: Type.Optional(Type.String()),
})

// An invitation link lets a new person choose their own password; it works once, for a week.
export async function invitationRoutes(app: FastifyInstance) {
  app.get('/invite/:token', { config: { public: true }, schema: { params: Params } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const inv = await findUsableInvitation(app.db, token)
    if (!inv) return renderErrorPage(req, reply, 404, 'invite.invalid')
    return reply.viewAsync('auth/invite', { title: req.t('invite.title'), invitation: inv, token, form: { values: {}, errors: {} } })
  })

  app.post('/invite/:token', { config: { public: true }, schema: { params: Params, body: Body } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const body = req.body as Static<typeof Body>
    const inv = await findUsableInvitation(app.db, token)
    if (!inv) return renderErrorPage(req, reply, 404, 'invite.invalid')
    const ok = await submitForm(reply, 'auth/invite', {}, { title: req.t('invite.title'), invitation: inv, token }, () =>
      acceptInvitation(app.db, token, body.password, body.passwordConfirm))
    if (!ok) return reply
    const session = await startSession(app.db, app.config, inv.user_id, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
    reply.setCookie(SESSION_COOKIE(app.config), session, sessionCookieOptions(app.config))
    return reply.redirect('/', 303)
  })
}
