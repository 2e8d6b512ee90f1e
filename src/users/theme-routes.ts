// The colour scheme a person picks (light, dark, or as the device), kept on the account. A form in the
// user menu posts here and comes back to the page it was sent from; it works without JavaScript.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { updateUserTheme } from './queries.js'
import { safeNextPath } from '../web/next-path.js'

const Body = Type.Object({
  theme: Type.String({ maxLength: 10 }),
  next: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String()),
})

export async function themeRoutes(app: FastifyInstance) {
  app.post('/settings/theme', { preHandler: requireLogin, schema: { body: Body } }, async (req, reply) => {
    const body = req.body as Static<typeof Body>
    const theme = body.theme === 'light' || body.theme === 'dark' ? body.theme : null
    await updateUserTheme(app.db, req.user!.id, theme)
    return reply.redirect(safeNextPath(body.next ?? '/'), 303)
  })
}
