import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { renewFeedKey } from './keys.js'
import { personalFeeds, renderOpml } from './personal.js'

const NOTICES = ['feeds.settings.renewed']

// The person's own feed addresses (with their key), the OPML download and renewing the key.
export async function feedSettingsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  const site = (req: FastifyRequest) => ({ baseUrl: app.config.baseUrl, secret: app.config.sessionSecret, visibility: req.settings.visibility })

  app.get('/settings/feeds', { schema: { querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 100 })) }) } }, async (req, reply) => {
    const { notice } = req.query as { notice?: string }
    const user = req.user!
    return reply.viewAsync('feeds/settings', {
      title: req.t('feeds.settings.title'), notice: notice && NOTICES.includes(notice) ? notice : undefined,
      personalFeeds: await personalFeeds(app.db, site(req), user, req.t), internal: req.settings.visibility === 'internal',
      // A key matters only where some feed needs one.
      canRenew: req.settings.visibility === 'internal' || user.isEditor,
    })
  })

  app.get('/settings/feeds/betablogg.opml', async (req, reply) => {
    const user = req.user!
    const feeds = await personalFeeds(app.db, site(req), user, req.t)
    reply.header('content-disposition', 'attachment; filename="betablogg.opml"')
    return reply.type('text/x-opml; charset=utf-8').send(renderOpml(req.t('feeds.opml.title', { name: user.displayName }), feeds))
  })

  app.post('/settings/feeds/renew', async (req, reply) => {
    await renewFeedKey(app.db, app.config.sessionSecret, req.user!.id)
    req.log.info({ userId: req.user!.id }, 'feed key renewed')
    return reply.redirect('/settings/feeds?notice=feeds.settings.renewed', 303)
  })
}
