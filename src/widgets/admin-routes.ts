// /admin/widgets: which sites may show Betablogg's widgets, the key an internal site needs, and a
// builder that writes the code to paste into the intranet or the LMS.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { renewWidgetKey, saveWidgetOrigins, widgetKey } from './service.js'
import { embedCode, type BuilderChoice } from './builder.js'
import { allowOwnFrames } from './frame.js'

const BuilderQuery = Type.Object({
  kind: Type.Optional(Type.String({ maxLength: 20 })),
  tag: Type.Optional(Type.String({ maxLength: 100 })),
  author: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.String({ maxLength: 3 })),
  saved: Type.Optional(Type.String({ maxLength: 10 })),
})
const OriginsBody = Type.Object({ origins: Type.String({ maxLength: 10_000 }), _csrf: Type.Optional(Type.String()) })

export async function widgetAdminRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  async function pageData(req: FastifyRequest, choice: BuilderChoice) {
    const settings = req.settings
    const key = settings.visibility === 'internal' ? await widgetKey(app.settings, app.config.sessionSecret, req.user!.id) : undefined
    return {
      title: req.t('widgets.admin.title'), internal: settings.visibility === 'internal',
      origins: settings.widgetOrigins, choice, code: embedCode(app.config.baseUrl, choice, req.t('widgets.admin.frameTitle'), key),
      oembedExample: `${app.config.baseUrl}/oembed?url=${encodeURIComponent(`${app.config.baseUrl}/posts/…`)}${key ? `&key=${key}` : ''}`,
    }
  }

  app.get('/admin/widgets', { schema: { querystring: BuilderQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof BuilderQuery>
    const data = await pageData(req, builderChoice(q))
    if (data.code) allowOwnFrames(reply) // the preview frames the widget
    return reply.viewAsync('widgets/admin', { ...data, saved: q.saved, form: { values: { origins: data.origins.join('\n') }, errors: {} } })
  })

  app.post('/admin/widgets/origins', { schema: { body: OriginsBody } }, async (req, reply) => {
    const { origins } = req.body as Static<typeof OriginsBody>
    const data = await pageData(req, builderChoice({}))
    const ok = await submitForm(reply, 'widgets/admin', { origins }, data, () => saveWidgetOrigins(app.db, app.settings, req.user!, origins))
    if (!ok) return reply
    return reply.redirect('/admin/widgets?saved=origins', 303)
  })

  app.post('/admin/widgets/key', { schema: { body: Type.Object({ _csrf: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    await renewWidgetKey(app.db, app.settings, req.user!)
    return reply.redirect('/admin/widgets?saved=key', 303)
  })
}

function builderChoice(q: Static<typeof BuilderQuery>): BuilderChoice {
  const kind = q.kind === 'updates' || q.kind === 'tag' || q.kind === 'author' ? q.kind : 'posts'
  const limit = /^(10|[1-9])$/.test(q.limit ?? '') ? Number(q.limit) : 5
  return { kind, tag: (q.tag ?? '').trim(), author: (q.author ?? '').trim(), limit }
}
