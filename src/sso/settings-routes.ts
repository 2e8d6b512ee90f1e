// Administration → Sign-in: password login on or off, and the account policy for a first sign-in
// through the provider. Each change is in the audit trail.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { checked } from '../web/forms.js'
import { appendAuditEvent } from '../audit/chain.js'
import { NotFoundError } from '../errors.js'

const Body = Type.Object({
  localLogin: Type.Optional(Type.String()),
  ssoCreate: Type.Optional(Type.String()),
  ssoClaim: Type.Optional(Type.String()),
  ssoLink: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
})
const KEYS = ['localLogin', 'ssoCreate', 'ssoClaim', 'ssoLink'] as const

export async function ssoSettingsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)
  const oidc = app.config.oidc

  app.get('/admin/sso', { schema: { querystring: Type.Object({ saved: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const s = await app.settings.get()
    return reply.viewAsync('sso/settings', {
      title: req.t('sso.settings.title'), saved: !!(req.query as { saved?: string }).saved,
      provider: oidc?.buttonLabel, values: Object.fromEntries(KEYS.map((k) => [k, s[k]])),
      roles: oidc && (oidc.editorGroups.length || oidc.adminGroups.length)
        ? { editor: oidc.editorGroups.join(', ') || '–', admin: oidc.adminGroups.join(', ') || '–' } : undefined,
    })
  })

  app.post('/admin/sso', { schema: { body: Body } }, async (req, reply) => {
    if (!oidc) throw new NotFoundError('single sign-on')
    const body = req.body as Static<typeof Body>
    const before = await app.settings.get()
    const patch = Object.fromEntries(KEYS.map((k) => [k, checked(body[k])])) as Record<(typeof KEYS)[number], boolean>
    const after = await app.settings.update(patch, req.user!.id)
    await appendAuditEvent(app.db, {
      actor: { id: req.user!.id, name: req.user!.username }, action: 'settings.update', subjectType: 'settings', subjectId: 0,
      fromState: JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, before[k]]))),
      toState: JSON.stringify(Object.fromEntries(KEYS.map((k) => [k, after[k]]))),
    })
    req.log.info({ ...patch }, 'sign-in settings changed')
    return reply.redirect('/admin/sso?saved=1', 303)
  })
}
