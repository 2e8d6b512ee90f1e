import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { logIn } from './service.js'
import { endSession } from './sessions.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'
import { safeNextPath } from '../web/next-path.js'
import { logRefusal } from '../web/refusals.js'
import type { ExternalLogin, PasswordLogin } from './external-login.js'

const LoginBody = Type.Object({
  identifier: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 1024 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
})
type LoginBody = Static<typeof LoginBody>

export async function authRoutes(app: FastifyInstance, opts: { external?: ExternalLogin }) {
  const cookieName = SESSION_COOKIE(app.config)
  const external = opts.external
  const passwordLogin = async (req: FastifyRequest): Promise<PasswordLogin> => (external ? external.passwordLogin(req) : 'all')

  // With a provider its button comes first; the password form shows while password login is on, or
  // for administrators at /login?local=1 (break-glass).
  const page = async (req: FastifyRequest, reply: FastifyReply, values: { identifier: string; next: string }, error?: string, notice?: string, local = false) => {
    const mode = await passwordLogin(req)
    const provider = external && { label: external.label, href: `${external.startPath}?next=${encodeURIComponent(values.next)}` }
    const showForm = mode === 'all' || (mode === 'admins' && local)
    return reply.viewAsync('auth/login', { title: req.t('login.title'), values, error, notice, provider, showForm, adminsOnly: mode === 'admins', mailEnabled: !!app.config.mail })
  }

  const LoginQuery = Type.Object({ next: Type.Optional(Type.String()), loggedOut: Type.Optional(Type.String()), reset: Type.Optional(Type.String()), local: Type.Optional(Type.String()) })
  app.get('/login', { config: { public: true }, schema: { querystring: LoginQuery } }, async (req, reply) => {
    const query = req.query as Static<typeof LoginQuery>
    const next = safeNextPath(query.next)
    if (req.user) return reply.redirect(next, 303)
    const notice = query.loggedOut ? req.t('logout.done') : query.reset ? req.t('reset.done') : undefined
    return page(req, reply, { identifier: '', next }, undefined, notice, !!query.local)
  })

  app.post('/login', { config: { public: true }, schema: { body: LoginBody }, attachValidation: true }, async (req, reply) => {
    const body = (req.body ?? {}) as Partial<LoginBody>
    const values = { identifier: String(body.identifier ?? ''), next: safeNextPath(body.next) }
    const mode = await passwordLogin(req)
    if (mode === 'none') {
      req.log.warn({ ip: req.ip }, 'password login refused: switched off')
      reply.code(403)
      return page(req, reply, values, req.t('login.passwordOff'))
    }
    if (req.validationError || !values.identifier || !body.password) {
      reply.code(422)
      return page(req, reply, values, req.t('login.failed'), undefined, true)
    }
    const result = await logIn(app.db, app.config, { identifier: values.identifier, password: body.password }, {
      ip: req.ip, userAgent: req.headers['user-agent'] ?? null,
    }, new Date(), mode === 'admins')
    if (!result.ok) {
      const status = result.reason === 'throttled' ? 429 : result.reason === 'deactivated' || result.reason === 'passwordOff' ? 403 : 401
      const refusal = result.reason === 'invalid' ? 'login-failed' : result.reason === 'passwordOff' ? 'password-off' : result.reason
      logRefusal(req, status, refusal, { identifier: values.identifier.slice(0, 100) })
      if (result.reason === 'throttled') {
        reply.code(429).header('retry-after', String(result.retryAfterMinutes * 60))
        return page(req, reply, values, req.t('login.throttled', { minutes: result.retryAfterMinutes }), undefined, true)
      }
      reply.code(result.reason === 'invalid' ? 401 : 403)
      const message = result.reason === 'deactivated' ? 'login.deactivated' : result.reason === 'passwordOff' ? 'login.passwordOff' : 'login.failed'
      return page(req, reply, values, req.t(message), undefined, true)
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
    // Asked before the session ends: the provider's sign-out needs to know which session it was.
    const providerLogout = req.user && external ? await external.logoutUrl(req) : undefined
    if (token) await endSession(app.db, token)
    reply.clearCookie(cookieName, sessionCookieOptions(app.config))
    return reply.redirect(providerLogout ?? '/login?loggedOut=1', 303)
  })
}
