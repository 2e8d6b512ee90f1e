import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { submitForm } from '../web/forms.js'
import { renderErrorPage } from '../web/error-handler.js'
import { completePasswordReset, findUsableReset, requestPasswordReset, RESET_MINUTES } from './reset.js'

const Params = Type.Object({ token: Type.String({ maxLength: 100 }) })
const ForgotBody = Type.Object({ email: Type.String({ maxLength: 500 }), _csrf: Type.Optional(Type.String()) })
const ForgotQuery = Type.Object({ sent: Type.Optional(Type.String({ maxLength: 5 })) })
const ResetBody = Type.Object({
  password: Type.String({ maxLength: 1024 }),
  passwordConfirm: Type.String({ maxLength: 1024 }),
  _csrf: Type.Optional(Type.String()),
})

// "Glemt passord": only where e-mail is configured (otherwise an administrator sets a new one).
export async function passwordResetRoutes(app: FastifyInstance) {
  app.addHook('onRequest', async (req, reply) => {
    if (!app.config.mail) return renderErrorPage(req, reply, 404)
  })

  const forgotPage = (req: FastifyRequest, reply: FastifyReply, extra: { sent?: boolean; error?: string; email?: string; status?: number }) => {
    if (extra.status) reply.code(extra.status)
    return reply.viewAsync('auth/forgot', { title: req.t('reset.title'), minutes: RESET_MINUTES, email: extra.email ?? '', ...extra })
  }

  app.get('/password/forgot', { config: { public: true }, schema: { querystring: ForgotQuery } }, async (req, reply) =>
    forgotPage(req, reply, { sent: !!(req.query as Static<typeof ForgotQuery>).sent }))

  app.post('/password/forgot', { config: { public: true }, schema: { body: ForgotBody } }, async (req, reply) => {
    const { email } = req.body as Static<typeof ForgotBody>
    if (!email.trim()) return forgotPage(req, reply, { error: 'reset.email.required', status: 422 })
    const r = await requestPasswordReset(app.db, app.config, email, req.ip)
    if (!r.ok) return forgotPage(req, reply, { error: req.t('reset.tooMany', { minutes: r.retryAfterMinutes }), email, status: 429 })
    return reply.redirect('/password/forgot?sent=1', 303)
  })

  app.get('/password/reset/:token', { config: { public: true }, schema: { params: Params } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const reset = await findUsableReset(app.db, token)
    if (!reset) return renderErrorPage(req, reply, 404, 'reset.invalid')
    reply.header('referrer-policy', 'no-referrer')
    return reply.viewAsync('auth/reset', { title: req.t('reset.new.title'), reset, token, form: { values: {}, errors: {} } })
  })

  app.post('/password/reset/:token', { config: { public: true }, schema: { params: Params, body: ResetBody } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const body = req.body as Static<typeof ResetBody>
    const reset = await findUsableReset(app.db, token)
    if (!reset) return renderErrorPage(req, reply, 404, 'reset.invalid')
    let done = false
    const ok = await submitForm(reply, 'auth/reset', {}, { title: req.t('reset.new.title'), reset, token }, async () => {
      done = await completePasswordReset(app.db, token, body.password, body.passwordConfirm)
    })
    if (!ok) return reply
    if (!done) return renderErrorPage(req, reply, 404, 'reset.invalid')
    req.log.info({ userId: reset.user_id }, 'password reset by e-mail')
    return reply.redirect('/login?reset=1', 303)
  })
}
