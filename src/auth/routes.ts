import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { logIn } from './service.js'
import { endSession } from './sessions.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'
import { safeNextPath } from '../web/next-path.js'

const LoginBody = Type.Object({
  identifier: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 1024 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
})
type LoginBody = Static<typeof LoginBody>

export async function authRoutes(app: FastifyInstance) {
  const cookieName = SESSION_COOKIE(app.config)

  const page = (req: FastifyRequest, reply: FastifyReply, values: { identifier: string; next: string }, error?: string, notice?: string) =>
    reply.viewAsync('auth/login', { title: req.t('login.title'), values, error, notice, mailEnabled: !!app.config.mail })

  const LoginQuery = Type.Object({ next: Type.Optional(Type.String()), loggedOut: Type.Optional(Type.String()), reset: Type.Optional(Type.String()) })
  app.get('/login', { config: { public: true }, schema: { querystring: LoginQuery } }, async (req, reply) => {
    const query = req.query as Static<typeof LoginQuery>
    const next = safeNextPath(query.next)
    if (req.user) return reply.redirect(next, 303)
    const notice = query.loggedOut ? req.t('logout.done') : query.reset ? req.t('reset.done') : undefined
    return page(req, reply, { identifier: '', next }, undefined, notice)
  })

  app.post('/login', { config: { public: true }, schema: { body: LoginBody }, attachValidation: true }, async (req, reply) => {
    const body = (req.body ?? {}) as Partial<LoginBody>
    const values = { identifier: String(body.identifier ?? ''), next: safeNextPath(body.next) }
    if (req.validationError || !values.identifier || !body.password) {
      reply.code(422)
      return page(req, reply, values, req.t('login.failed'))
    }
    const result = await logIn(app.db, app.config, { identifier: values.identifier, password: body.password }, {
      ip: req.ip, userAgent: req.headers['user-agent'] ?? null,
    })
    if (!result.ok) {
      req.log.warn({ identifier: values.identifier.slice(0, 100), ip: req.ip, reason: result.reason }, 'login failed')
      if (result.reason === 'throttled') {
        reply.code(429).header('retry-after', String(result.retryAfterMinutes * 60))
        return page(req, reply, values, req.t('login.throttled', { minutes: result.retryAfterMinutes }))
      }
      reply.code(result.reason === 'deactivated' ? 403 : 401)
      return page(req, reply, values, req.t(result.reason === 'deactivated' ? 'login.deactivated' : 'login.failed'))
    }
    // Rotation: whatever session the browser had before is gone; only the new id works.
    const old = req.cookies[cookieName]
    if (old) await endSession(app.db, old)
    req.log.info({ userId: result.userId }, 'login')
    reply.setCookie(cookieName, result.token, sessionCookieOptions(app.config))
    return reply.redirect(values.next, 303)
  })

  app.post('/logout', { config: { public: true } }, async (req, reply) => {
    const token = req.cookies[cookieName]
    if (token) await endSession(app.db, token)
    reply.clearCookie(cookieName, sessionCookieOptions(app.config))
    return reply.redirect('/login?loggedOut=1', 303)
  })
}
