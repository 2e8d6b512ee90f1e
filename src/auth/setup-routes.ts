import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { setUpFirstAdmin } from '../users/service.js'
import { countUsers } from '../users/queries.js'
import { NotFoundError } from '../errors.js'
import { submitForm } from '../web/forms.js'
import { startSession } from './sessions.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'

const SetupBody = Type.Object({
  username: Type.String({ maxLength: 200 }),
  displayName: Type.String({ maxLength: 20000 }), // a junk guard: the service's limit (80) gives the form error
  email: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.String({ maxLength: 1024 }),
  passwordConfirm: Type.String({ maxLength: 1024 }),
  _csrf: Type.Optional(Type.String()),
})

// First run: while no account exists every page leads here; afterwards the page is gone (404).
export async function setupRoutes(app: FastifyInstance) {
  const ensureFirstRun = async () => {
    if ((await countUsers(app.db)) > 0) throw new NotFoundError('setup')
  }

  app.get('/setup', { config: { public: true } }, async (req, reply) => {
    await ensureFirstRun()
    return reply.viewAsync('auth/setup', {
      title: req.t('setup.title'),
      form: { values: { username: '', displayName: '', email: '' }, errors: {} },
    })
  })

  app.post('/setup', { config: { public: true }, schema: { body: SetupBody } }, async (req, reply) => {
    await ensureFirstRun()
    const body = req.body as Static<typeof SetupBody>
    const values = { username: body.username, displayName: body.displayName, email: body.email ?? '' }
    let userId = 0
    const ok = await submitForm(reply, 'auth/setup', values, { title: req.t('setup.title') }, async () => {
      userId = (await setUpFirstAdmin(app.db, body)).id
    })
    if (!ok) return reply
    req.log.info({ userId }, 'first administrator created')
    const token = await startSession(app.db, app.config, userId, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
    reply.setCookie(SESSION_COOKIE(app.config), token, sessionCookieOptions(app.config))
    return reply.redirect('/admin/users?welcome=1', 303)
  })
}
