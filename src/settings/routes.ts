import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { InvalidError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { FOUR_EYES_MODES, type FourEyesMode, type SiteSettings } from './store.js'

const Body = Type.Object({
  visibility: Type.String({ maxLength: 20 }),
  fourEyesMode: Type.Optional(Type.String({ maxLength: 10 })),
  queueReminderDays: Type.String({ maxLength: 10 }),
  _csrf: Type.Optional(Type.String()),
})

/** What the page says about four eyes on this site now (how many editors, whether it applies). */
function pageExtras(title: string, s: SiteSettings) {
  return { title, fourEyesModes: FOUR_EYES_MODES, editorCount: s.editorCount, fourEyesNow: s.fourEyes }
}

// Site settings for administrators. Each change is recorded in the audit trail.
export async function siteSettingsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  app.get('/admin/settings', { schema: { querystring: Type.Object({ saved: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const s = await app.settings.get()
    return reply.viewAsync('settings/edit', {
      ...pageExtras(req.t('admin.settings.title'), s), saved: !!(req.query as { saved?: string }).saved,
      form: { values: { visibility: s.visibility, fourEyesMode: s.fourEyesMode, queueReminderDays: String(s.queueReminderDays) }, errors: {} },
    })
  })

  app.post('/admin/settings', { schema: { body: Body } }, async (req, reply) => {
    const body = req.body as Static<typeof Body>
    const current = await app.settings.get()
    const values = { visibility: body.visibility, fourEyesMode: body.fourEyesMode ?? current.fourEyesMode, queueReminderDays: body.queueReminderDays.trim() }
    const ok = await submitForm(reply, 'settings/edit', values, pageExtras(req.t('admin.settings.title'), current), async () => {
      const days = Number(values.queueReminderDays)
      const errors: Record<string, 'admin.settings.reminderDays.invalid'> = {}
      if (!/^\d+$/.test(values.queueReminderDays) || days < 1 || days > 60) errors.queueReminderDays = 'admin.settings.reminderDays.invalid'
      if (values.visibility !== 'internal' && values.visibility !== 'public') throw new InvalidError({ visibility: 'error.400.body' })
      if (!FOUR_EYES_MODES.includes(values.fourEyesMode as FourEyesMode)) throw new InvalidError({ fourEyesMode: 'error.400.body' })
      if (Object.keys(errors).length) throw new InvalidError(errors)
      const before = await app.settings.get()
      const after = await app.settings.update({ visibility: values.visibility, fourEyesMode: values.fourEyesMode as FourEyesMode, queueReminderDays: days }, req.user!.id)
      await appendAuditEvent(app.db, {
        actor: { id: req.user!.id, name: req.user!.username }, action: 'settings.update', subjectType: 'settings', subjectId: 0,
        fromState: JSON.stringify(before), toState: JSON.stringify(after),
      })
    })
    if (!ok) return reply
    return reply.redirect('/admin/settings?saved=1', 303)
  })
}
