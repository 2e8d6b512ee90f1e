import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { safeNextPath } from '../web/next-path.js'
import type { MessageKey } from '../web/i18n/index.js'
import { findNotificationCursor, listNotifications } from './queries.js'
import { describeNotification } from './describe.js'
import { avatarOf } from '../profiles/avatar.js'
import { channelEnabled } from '../outbox/registry.js'
import { deliveryPreferences, saveDeliveryPreferences } from './delivery.js'
import {
  markAllNotificationsRead, markNotificationRead, notificationPreferences, saveNotificationPreferences,
} from './service.js'

const PAGE = 30
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const ListQuery = Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })), notice: Type.Optional(Type.String({ maxLength: 50 })) })
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })
const PrefsBody = Type.Object({
  kinds: Type.Optional(Type.Union([Type.String({ maxLength: 50 }), Type.Array(Type.String({ maxLength: 50 }), { maxItems: 50 })])),
  weekly: Type.Optional(Type.String({ maxLength: 5 })), // and mode_<kind>: 'site' | 'email' | 'digest' | 'off' with e-mail
  _csrf: Type.Optional(Type.String()),
})
const NOTICES = ['notif.allRead', 'notif.prefsSaved']

// The logged-in person's notifications and which kinds of them they want.
export async function notificationRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  app.get('/notifications', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof ListQuery>
    const userId = req.user!.id
    const cursorRow = q.before ? await findNotificationCursor(app.db, userId, q.before) : undefined
    const rows = await listNotifications(app.db, userId, PAGE, cursorRow ? { at: cursorRow.updated_at, id: cursorRow.id } : undefined)
    const items = rows.slice(0, PAGE).map((r) => ({ id: r.id, at: r.updated_at, unread: !r.read_at, ...describeNotification(r, req.t), actor: r.actor_name ? avatarOf(r.actor_name, r.actor_avatar) : undefined }))
    return reply.viewAsync('notifications/list', {
      title: req.t('notif.title'), items, paged: !!cursorRow, here: cursorRow ? `/notifications?before=${cursorRow.id}` : '/notifications',
      older: rows.length > PAGE ? items[items.length - 1]?.id : undefined,
      notice: q.notice && NOTICES.includes(q.notice) ? q.notice : undefined,
    })
  })

  app.post('/notifications/:id/read', { schema: { params: IdParams, body: NextBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await markNotificationRead(app.db, req.user!.id, id)
    const next = (req.body as Static<typeof NextBody>).next
    return reply.redirect(`${next ? safeNextPath(next) : '/notifications'}#notification_${id}`, 303)
  })

  app.post('/notifications/read-all', async (req, reply) => {
    const n = await markAllNotificationsRead(app.db, req.user!.id)
    req.log.info({ count: n }, 'notifications marked read')
    return reply.redirect('/notifications?notice=notif.allRead', 303)
  })

  // With e-mail configured each kind has four choices (src/notifications/delivery.ts); without, on/off.
  const mailOn = () => channelEnabled(app.db, 'email')
  const prefsPage = async (req: FastifyRequest, notice?: MessageKey) => ({
    title: req.t('notif.prefs.title'), prefs: await notificationPreferences(app.db, req.user!), notice,
    mail: mailOn() ? { ...(await deliveryPreferences(app.db, req.user!)), hasAddress: !!req.user!.email } : undefined,
  })

  app.get('/settings/notifications', { schema: { querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })) }) } }, async (req, reply) => {
    const saved = !!(req.query as { saved?: string }).saved
    return reply.viewAsync('notifications/settings', await prefsPage(req, saved ? 'notif.prefsSaved' : undefined))
  })

  app.post('/settings/notifications', { schema: { body: PrefsBody } }, async (req, reply) => {
    const { kinds, weekly, ...rest } = req.body as Static<typeof PrefsBody> & Record<string, unknown>
    if (mailOn()) {
      const choices = Object.fromEntries(Object.entries(rest).filter(([k]) => k.startsWith('mode_')).map(([k, v]) => [k.slice(5), String(v)]))
      await saveDeliveryPreferences(app.db, req.user!, choices, weekly === 'on')
    } else {
      await saveNotificationPreferences(app.db, req.user!, kinds === undefined ? [] : Array.isArray(kinds) ? kinds : [kinds])
    }
    req.log.info({ userId: req.user!.id }, 'notification preferences saved')
    return reply.redirect('/settings/notifications?saved=1', 303)
  })
}
