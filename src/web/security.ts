// Security defaults for every route: headers and CSP (helmet), CSRF on every state change, and no
// caching of pages made for a logged-in person.
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'
import fastifyCsrf from '@fastify/csrf-protection'
import { CSRF_COOKIE } from './cookies.js'
import { EMBED_FRAME_ORIGINS } from '../markdown/index.js'
import { renderErrorPage } from './error-handler.js'
import { logRefusal } from './refusals.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false only on POST routes that authenticate otherwise (none yet). */
    csrf?: boolean
  }
}

/** Origins allowed in frames (video embeds), added by features that embed. */
export const frameSources: string[] = []

export async function registerSecurity(app: FastifyInstance): Promise<void> {
  // helmet itself, built once: @fastify/helmet builds the middleware (and parses the CSP) again on
  // every request, a measurable share of a cached page's cost. The headers are the same for all routes.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'"],
        // Video and slide embeds (src/markdown/embed.ts): the facade script frames only these.
        frameSrc: [...EMBED_FRAME_ORIGINS, ...frameSources],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        // Logout may redirect to the single sign-on provider's sign-out (a form's redirect counts).
        formAction: ["'self'", ...(app.config.oidc ? [new URL(app.config.oidc.issuer).origin, ...app.config.oidc.extraHosts.map((h) => `https://${h}`)] : [])],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: app.config.secureCookies ? [] : null,
      },
    },
    // Cross-origin isolation headers would block the video embeds; the CSP above does the work.
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: app.config.secureCookies ? { maxAge: 31536000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'same-origin' },
  })
  app.addHook('onRequest', (req, reply, done) => securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)))

  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: CSRF_COOKIE(app.config),
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, signed: true },
    // Tokens are bound to the login session: a token taken before login is useless after it.
    getUserInfo: (req) => csrfUserInfo(req.user),
    csrfOpts: { hmacKey: app.config.sessionSecret },
  })

  const siteOrigin = new URL(app.config.baseUrl).origin
  app.addHook('preHandler', (req, reply, done) => {
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS'
    if (!unsafe || req.routeOptions.config?.csrf === false) return done()
    // Defence in depth beside the token: what the browser says about where the form came from.
    if (!sameOrigin(req.headers.origin, req.headers['sec-fetch-site'], [siteOrigin, `${req.protocol}://${req.host}`])) {
      logRefusal(req, 403, 'cross-site', { origin: String(req.headers.origin ?? '').slice(0, 200), fetchSite: req.headers['sec-fetch-site'] })
      return void renderErrorPage(req, reply, 403, 'error.403.csrf').catch(done) // answered: done is not called
    }
    return app.csrfProtection(req, reply, done)
  })

  app.addHook('onSend', (req, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', req.user ? 'no-store' : 'no-cache')
    done(null, payload)
  })
}

/**
 * False when the browser tells us the request comes from another site: an Origin that is not ours
 * (or "null"), or Sec-Fetch-Site other than same-origin/none. Absent headers (old or non-browser
 * clients) leave the decision to the CSRF token.
 */
export function sameOrigin(origin: string | string[] | undefined, fetchSite: string | string[] | undefined, ours: string[]): boolean {
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') return false
  if (origin === undefined) return true
  if (typeof origin !== 'string') return false
  const normalise = (o: string) => { try { return new URL(o).origin } catch { return 'invalid' } }
  const own = ours.map(normalise)
  const theirs = normalise(origin)
  return theirs !== 'invalid' && theirs !== 'null' && own.includes(theirs)
}

/** What a CSRF token is bound to: the login session, or "anonymous" before login (must be non-empty). */
export function csrfUserInfo(user: { sessionId: string } | null): string {
  return user?.sessionId ?? 'anonymous'
}
