// The header's unread badge: one bounded, indexed count for a logged-in person, kept until their
// notifications change. Registered on the root instance after the session hook (src/web/hooks.ts),
// which sets req.user.
import type { FastifyInstance } from 'fastify'
import { countUnread } from './queries.js'
import { PerPerson } from '../web/per-person.js'

/** Counts stop here; the badge then shows "99+". */
export const UNREAD_CAP = 100

declare module '../web/request-context.js' {
  interface PageLocals {
    /** Unread notifications, up to UNREAD_CAP (layout shows the badge). */
    unread?: number | string
  }
}

export function registerUnreadCount(app: FastifyInstance): void {
  // Kept per person until their notifications change (read, new, opted out: 'notifications:<id>').
  const counts = new PerPerson<number>((id) => [`notifications:${id}`])
  app.addHook('onRequest', async (req, reply) => {
    if (!req.user || (req.method !== 'GET' && req.method !== 'HEAD') || req.url.startsWith('/static/')) return
    const id = req.user.id
    const n = await counts.get(req, id, () => countUnread(app.db, id, UNREAD_CAP))
    reply.locals.unread = n >= UNREAD_CAP ? `${UNREAD_CAP - 1}+` : n
  })
}
