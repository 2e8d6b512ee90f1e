// The request pipeline before a handler runs: session → language → layout locals → first-run and
// visibility gates. Registered once in app.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { resumeSession } from '../auth/sessions.js'
import { KeptSessions } from '../auth/kept-sessions.js'
import { SESSION_COOKIE, LANG_COOKIE } from './cookies.js'
import { isLang, negotiateLanguage, translator } from './i18n/index.js'
import { formatter } from './i18n/format.js'
import { countUsers } from '../users/queries.js'
import { safeNextPath } from './next-path.js'
import { csrfUserInfo } from './security.js'
import { logRefusal } from './refusals.js'
import { siteBrand } from '../settings/store.js'
import { localiseEmbeds } from '../markdown/embed.js'
import './request-context.js'
import { csrfField } from './csrf-field.js'
import { ownViews } from './shared-page.js'

// Paths that must work before the first administrator exists, and assets.
const SETUP_ALLOWED = /^\/(setup|static\/|healthz|favicon\.ico|robots\.txt)/
// Our own stylesheet and scripts are no secret; the login page needs them.
const ALWAYS_PUBLIC = /^\/(static\/|favicon\.ico|robots\.txt)/

export function registerRequestHooks(app: FastifyInstance): void {
  app.decorateRequest('user', null)
  app.decorateRequest('lang', 'nb')
  app.decorateRequest('t', null as never)
  app.decorateRequest('settings', null as never)

  let hasUsers = false // once true, stays true: accounts are deactivated, never deleted
  const sessions = new KeptSessions(app.changes)

  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE(app.config)]
    req.user = token ? ((await resumeSession(app.db, app.config, token, new Date(), { sessions, seen: req.changeSeen })) ?? null) : null
    // The change feed was read at the request's start (page-cache.ts).
    req.settings = app.settings.keptAsOf() ?? (await app.settings.asOf(req.changeSeen))
    const chosen = req.user?.language ?? req.cookies[LANG_COOKIE]
    req.lang = isLang(chosen) ? chosen : negotiateLanguage(req.headers['accept-language'])
    req.t = translator(req.lang, siteBrand(req.settings))
    // The page depends on both (language header, language and session cookies): a shared cache in
    // front must not hand one reader's page to another. Our assets are the same for everyone.
    if (!ALWAYS_PUBLIC.test(req.url)) reply.header('vary', 'Accept-Language, Cookie')
    const path = req.url.split('?')[0] ?? '/'
    let csrfToken: string | undefined
    reply.locals = {
      user: req.user, lang: req.lang, t: req.t, fmt: formatter(req.lang), path, settings: req.settings, baseUrl: app.config.baseUrl,
      // One token per page, however many forms it has (each token costs an HMAC and random bytes).
      // A page carrying a token belongs to this visitor's CSRF cookie: never shared with others.
      csrf: () => {
        req.pageCacheKey = null
        return (csrfToken ??= reply.generateCsrf({ userInfo: csrfUserInfo(req.user) } as never))
      },
      csrfField,
      ownViews,
      localiseEmbeds: (html) => localiseEmbeds(html, (provider) => req.t(`posts.embed.${provider}`)),
      feeds: [],
    }

    if (!hasUsers) hasUsers = (await countUsers(app.db)) > 0
    if (!hasUsers) {
      if (!SETUP_ALLOWED.test(req.url)) return reply.redirect('/setup', 303)
      return
    }
    if (!req.user && req.settings.visibility === 'internal' && !req.routeOptions.config?.public && !ALWAYS_PUBLIC.test(req.url)) {
      return redirectToLogin(req, reply)
    }
  })
}

export function redirectToLogin(req: FastifyRequest, reply: FastifyReply) {
  // A page view without a session simply leads to the login; a state change without one is a refusal.
  if (req.method !== 'GET' && req.method !== 'HEAD') logRefusal(req, 401, 'unauthenticated')
  const next = req.method === 'GET' ? safeNextPath(req.url) : '/'
  return reply.redirect(next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`, 303)
}
