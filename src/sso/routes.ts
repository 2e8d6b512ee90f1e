// The sign-in through the provider: /sso/login sends the browser there, /sso/callback comes back with
// a code; the provider's back-channel logout ends sessions. Every failure is a page in the person's
// language, logged at warn, and leaves nothing behind.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'
import { safeNextPath } from '../web/next-path.js'
import { hashToken, newToken } from '../auth/tokens.js'
import { endSession } from '../auth/sessions.js'
import { SsoError, type SsoFailure } from './client.js'
import { readProfile } from './claims.js'
import { endProviderSessions, signInWithProvider } from './service.js'
import { deletePendingBefore, insertPending, takePending } from './queries.js'
import type { Sso } from './index.js'

const PENDING_MS = 10 * 60_000
const STATUS: Record<SsoFailure, number> = {
  unreachable: 502, state: 400, code: 400, token: 400, denied: 401, claims: 400, emailUnverified: 403, emailDomain: 403,
  deactivated: 403, noAccount: 403, notLinked: 403, emailTaken: 403,
}

export async function ssoRoutes(app: FastifyInstance, opts: { sso?: Sso }) {
  const sso = opts.sso
  if (!sso) return
  const pendingCookie = app.config.secureCookies ? '__Host-betablogg-sso' : 'betablogg-sso'
  const cookieOptions = { ...sessionCookieOptions(app.config), maxAge: PENDING_MS / 1000 }

  const failed = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof SsoError)) throw err
    req.log.warn({ reason: err.reason, detail: err.detail?.slice(0, 300) }, 'single sign-on failed')
    reply.code(STATUS[err.reason]).header('cache-control', 'no-store')
    return reply.viewAsync('sso/error', { title: req.t('sso.error.title'), message: req.t(`sso.error.${err.reason}`) })
  }

  app.get('/sso/login', { config: { public: true }, schema: { querystring: Type.Object({ next: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const next = safeNextPath((req.query as { next?: string }).next)
    if (req.user) return reply.redirect(next, 303)
    try {
      const { pending, url } = await sso.client.start()
      const handle = newToken()
      const now = new Date()
      await deletePendingBefore(app.db, new Date(now.getTime() - PENDING_MS).toISOString())
      await insertPending(app.db, { id: hashToken(handle), ...pending, next, now: now.toISOString() })
      reply.setCookie(pendingCookie, handle, cookieOptions)
      return reply.redirect(url, 303)
    } catch (err) {
      return failed(req, reply, err)
    }
  })

  app.get('/sso/callback', { config: { public: true } }, async (req, reply) => {
    const handle = req.cookies[pendingCookie]
    reply.clearCookie(pendingCookie, cookieOptions)
    try {
      // The pending login is bound to this browser and used once: a replayed callback finds nothing.
      const pending = handle && handle.length < 100 ? await takePending(app.db, hashToken(handle)) : undefined
      if (!pending || Date.parse(pending.created_at) < Date.now() - PENDING_MS) throw new SsoError('state', pending ? 'expired' : 'no pending login')
      const claims = await sso.client.finish(new URL(req.url, app.config.baseUrl), {
        state: pending.state, nonce: pending.nonce, codeVerifier: pending.code_verifier,
      })
      const profile = readProfile(sso.client.settings, claims)
      const result = await signInWithProvider(app.db, app.config, req.settings, profile, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
      for (const warning of result.warnings) req.log.warn({ userId: result.userId }, `single sign-on: ${warning}`)
      const old = req.cookies[SESSION_COOKIE(app.config)]
      if (old) await endSession(app.db, old)
      req.log.info({ userId: result.userId }, 'login (single sign-on)')
      reply.setCookie(SESSION_COOKIE(app.config), result.token, sessionCookieOptions(app.config))
      return reply.redirect(pending.next_path, 303)
    } catch (err) {
      return failed(req, reply, err)
    }
  })

  // The provider's server calls this (OpenID Connect Back-Channel Logout 1.0): no cookie, no CSRF token.
  const LogoutBody = Type.Object({ logout_token: Type.String({ maxLength: 20_000 }) })
  app.post('/sso/backchannel-logout', { config: { public: true, csrf: false }, schema: { body: LogoutBody }, attachValidation: true }, async (req, reply) => {
    reply.header('cache-control', 'no-store')
    try {
      if (req.validationError) throw new Error('no logout_token')
      const who = await sso.client.verifyLogoutToken((req.body as Static<typeof LogoutBody>).logout_token)
      const ended = await endProviderSessions(app.db, who.issuer, who)
      req.log.info({ ended }, 'back-channel logout')
      return reply.code(200).send()
    } catch (err) {
      req.log.warn({ detail: (err as Error).message?.slice(0, 300) }, 'back-channel logout refused')
      return reply.code(400).type('application/json').send({ error: 'invalid_request' })
    }
  })
}
