import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { acceptInvitation, findUsableInvitation } from '../users/service.js'
import { submitForm } from '../web/forms.js'
import { renderErrorPage } from '../web/error-handler.js'
import { logRefusal } from '../web/refusals.js'
import { startSession } from './sessions.js'
import { SESSION_COOKIE, sessionCookieOptions } from '../web/cookies.js'
import { mayUsePassword, type ExternalLogin } from './external-login.js'

const Params = Type.Object({ token: Type.String({ maxLength: 100 }) })
const Body = Type.Object({
  password: Type.String({ maxLength: 1024 }),
  passwordConfirm: Type.String({ maxLength: 1024 }),
  _csrf: Type.Optional(Type.String()),
})

type Invitation = NonNullable<Awaited<ReturnType<typeof findUsableInvitation>>>

// An invitation link lets a new person choose their own password; it works once, for a week. While
// password login is off for that person (single sign-on), the link asks for no password: it leads to
// "Logg inn med <provider>", whose first sign-in takes the account over by its e-mail address. The
// invitation e-mail says the same (src/mail/build-account.ts).
export async function invitationRoutes(app: FastifyInstance, opts: { external?: ExternalLogin }) {
  const external = opts.external
  const passwordAllowed = async (req: FastifyRequest, inv: Invitation) => {
    if (!external) return true
    return mayUsePassword(await external.passwordLogin(req), inv.is_admin === 1)
  }
  const providerPage = async (req: FastifyRequest, reply: FastifyReply, inv: Invitation, error?: string) => {
    const provider = { label: external!.label, href: `${external!.startPath}?next=${encodeURIComponent('/')}` }
    const takesOver = await external!.takesOverInvitedAccounts(req)
    return reply.viewAsync('auth/invite-provider', { title: req.t('invite.provider.title'), invitation: inv, provider, takesOver, error })
  }

  app.get('/invite/:token', { config: { public: true }, schema: { params: Params } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const inv = await findUsableInvitation(app.db, token)
    if (!inv) return renderErrorPage(req, reply, 404, 'invite.invalid')
    if (!(await passwordAllowed(req, inv))) return providerPage(req, reply, inv)
    return reply.viewAsync('auth/invite', { title: req.t('invite.title'), invitation: inv, token, form: { values: {}, errors: {} } })
  })

  app.post('/invite/:token', { config: { public: true }, schema: { params: Params, body: Body } }, async (req, reply) => {
    const { token } = req.params as Static<typeof Params>
    const body = req.body as Static<typeof Body>
    const inv = await findUsableInvitation(app.db, token)
    if (!inv) return renderErrorPage(req, reply, 404, 'invite.invalid')
    if (!(await passwordAllowed(req, inv))) {
      logRefusal(req, 403, 'password-off', { userId: inv.user_id })
      reply.code(403)
      return providerPage(req, reply, inv, req.t('invite.provider.passwordOff'))
    }
    const ok = await submitForm(reply, 'auth/invite', {}, { title: req.t('invite.title'), invitation: inv, token }, () =>
      acceptInvitation(app.db, token, body.password, body.passwordConfirm))
    if (!ok) return reply
    const session = await startSession(app.db, app.config, inv.user_id, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null })
    reply.setCookie(SESSION_COOKIE(app.config), session, sessionCookieOptions(app.config))
    return reply.redirect('/', 303)
  })
}
