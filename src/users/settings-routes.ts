import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { isLang, LANGS } from '../web/i18n/index.js'
import { InvalidError } from '../errors.js'
import { verifyPassword } from '../auth/password.js'
import { countUserSessions, deleteUserSessions } from '../auth/queries.js'
import { findUserById } from './queries.js'
import { LANG_COOKIE, langCookieOptions, SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'
import { setPassword, updateProfile } from './service.js'

const ProfileBody = Type.Object({
  displayName: Type.String({ maxLength: 20000 }), // a junk guard: the service's limit (80) gives the form error
  email: Type.Optional(Type.String({ maxLength: 500 })),
  bio: Type.Optional(Type.String({ maxLength: 5000 })),
  language: Type.Optional(Type.String({ maxLength: 10 })),
  _csrf: Type.Optional(Type.String()),
})
const PasswordBody = Type.Object({
  currentPassword: Type.String({ maxLength: 1024 }),
  password: Type.String({ maxLength: 1024 }),
  passwordConfirm: Type.String({ maxLength: 1024 }),
  _csrf: Type.Optional(Type.String()),
})
const NOTICES = ['common.saved', 'settings.passwordChanged']

// The logged-in person's own settings: profile, language, password and sessions.
export async function accountSettingsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  async function pageData(req: FastifyRequest, notice?: string) {
    const me = (await findUserById(app.db, req.user!.id))!
    return {
      title: req.t('settings.title'), langs: LANGS, notice: notice && NOTICES.includes(notice) ? notice : undefined,
      sessions: await countUserSessions(app.db, me.id),
      form: { values: { displayName: me.display_name, email: me.email ?? '', bio: me.bio, language: me.language ?? '' }, errors: {} },
      passwordForm: { values: {}, errors: {} },
    }
  }

  app.get('/settings', { schema: { querystring: Type.Object({ notice: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    return reply.viewAsync('users/settings', await pageData(req, (req.query as { notice?: string }).notice))
  })

  app.post('/settings/profile', { schema: { body: ProfileBody } }, async (req, reply) => {
    const body = req.body as Static<typeof ProfileBody>
    const language = body.language && isLang(body.language) ? body.language : null
    const values = { displayName: body.displayName, email: body.email ?? '', bio: body.bio, language: language ?? '' }
    const ok = await submitForm(reply, 'users/settings', values, await pageData(req), () =>
      updateProfile(app.db, req.user!.id, { ...values, language }))
    if (!ok) return reply
    // The language cookie (set by the footer's language page) follows the choice: "same as the
    // browser" must not be overruled by an earlier pick.
    if (language) reply.setCookie(LANG_COOKIE, language, langCookieOptions(app.config))
    else if (req.cookies[LANG_COOKIE] !== undefined) reply.clearCookie(LANG_COOKIE, { path: '/' })
    return reply.redirect('/settings?notice=common.saved', 303)
  })

  app.post('/settings/password', { schema: { body: PasswordBody } }, async (req, reply) => {
    const body = req.body as Static<typeof PasswordBody>
    const me = (await findUserById(app.db, req.user!.id))!
    const ok = await submitPasswordForm(reply, await pageData(req), async () => {
      if (!(await verifyPassword(me.password_hash, body.currentPassword))) throw new InvalidError({ currentPassword: 'password.wrong' })
      await setPassword(app.db, req.user, me.id, body.password, body.passwordConfirm, req.user!.sessionId)
    })
    if (!ok) return reply
    req.log.info({ userId: me.id }, 'password changed')
    return reply.redirect('/settings?notice=settings.passwordChanged', 303)
  })

  // "Log out of all devices" ends every session, this one included.
  app.post('/settings/logout-all', async (req, reply) => {
    await deleteUserSessions(app.db, req.user!.id)
    req.log.info({ userId: req.user!.id }, 'logged out of all devices')
    reply.clearCookie(SESSION_COOKIE(app.config), sessionCookieOptions(app.config))
    return reply.redirect('/login?loggedOut=1', 303)
  })
}

// The password form sits on the settings page beside the profile form: errors go to its own slot.
async function submitPasswordForm(reply: FastifyReply, data: Record<string, unknown>, action: () => Promise<void>) {
  try {
    await action()
    return true
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err
    reply.code(422).send(await reply.viewAsync('users/settings', { ...data, passwordForm: { values: {}, errors: err.fields } }))
    return false
  }
}
