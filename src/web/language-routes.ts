import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { LANG_COOKIE, langCookieOptions } from './cookies.js'
import { isLang, LANGS } from './i18n/index.js'
import { safeNextPath } from './next-path.js'
import { updateUser } from '../users/queries.js'

// Choosing the interface language. A page of its own (linked from the footer) keeps the layout free
// of forms, so anonymous pages need no CSRF token.
export async function languageRoutes(app: FastifyInstance) {
  app.get('/language', { config: { public: true }, schema: { querystring: Type.Object({ next: Type.Optional(Type.String()) }) } },
    async (req, reply) => {
      const { next } = req.query as { next?: string }
      return reply.viewAsync('web/language', { title: req.t('lang.choose'), langs: LANGS, next: safeNextPath(next) })
    })

  app.post('/language', {
    config: { public: true },
    schema: { body: Type.Object({ lang: Type.String(), next: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) }) },
  }, async (req, reply) => {
    const { lang, next } = req.body as { lang: string; next?: string }
    if (!isLang(lang)) return reply.redirect('/language', 303)
    reply.setCookie(LANG_COOKIE, lang, langCookieOptions(app.config))
    if (req.user) await updateUser(app.db, req.user.id, { language: lang })
    return reply.redirect(safeNextPath(next), 303)
  })
}
