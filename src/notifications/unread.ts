// The header's unread badge: one bounded, indexed count per page for a logged-in person. Registered
// on the root instance after the session hook (src/web/hooks.ts), which sets req.user.
import type { FastifyInstance } from 'fastify'
import { countUnread } from './queries.js'

/** Counts stop here; the badge then shows "99+". */
export const UNREAD_CAP = 100

declare module '../web/request-context.js' {
  interface PageLocals {
    /** Unread notifications, up to UNREAD_CAP (layout shows the badge). */
    unread?: number | string
  }
}

export function registerUnreadCount(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.user || (req.method !== 'GET' && req.method !== 'HEAD') || req.url.startsWith('/static/')) return
    const n = await countUnread(app.db, req.user.id, UNREAD_CAP)
    reply.locals.unread = n >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : n
  })
}
