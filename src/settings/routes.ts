import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { checked, submitForm } from '../web/forms.js'
import { InvalidError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'

const Body = Type.Object({
  visibility: Type.String({ maxLength: 20 }),
  fourEyes: Type.Optional(Type.String()),
  queueReminderDays: Type.String({ maxLength: 10 }),
  _csrf: Type.Optional(Type.String()),
})

// Site settings for administrators. Each change is recorded in the audit trail.
export async function siteSettingsRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  app.get('/admin/settings', { schema: { querystring: Type.Object({ saved: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const s = await app.settings.get()
    return reply.viewAsync('settings/edit', {
      title: req.t('admin.settings.title'), saved: !!(req.query as { saved?: string }).saved,
      form: { values: { visibility: s.visibility, fourEyes: s.fourEyes, queueReminderDays: String(s.queueReminderDays) }, errors: {} },
    })
  })

  app.post('/admin/settings', { schema: { body: Body } }, async (req, reply) => {
    const body = req.body as Static<typeof Body>
    const values = { visibility: body.visibility, fourEyes: checked(body.fourEyes), queueReminderDays: body.queueReminderDays.trim() }
    const ok = await submitForm(reply, 'settings/edit', values, { title: req.t('admin.settings.title') }, async () => {
      const days = Number(values.queueReminderDays)
      const errors: Record<string, 'admin.settings.reminderDays.invalid'> = {}
      if (!/^\d+$/.test(values.queueReminderDays) || days < 1 || days > 60) errors.queueReminderDays = 'admin.settings.reminderDays.invalid'
      if (values.visibility !== 'internal' && values.visibility !== 'public') throw new InvalidError({ visibility: 'error.400.body' })
      if (Object.keys(errors).length) throw new InvalidError(errors)
      const before = await app.settings.get()
      const after = await app.settings.update({ visibility: values.visibility, fourEyes: values.fourEyes, queueReminderDays: days }, req.user!.id)
      await appendAuditEvent(app.db, {
        actor: { id: req.user!.id, name: req.user!.username }, action: 'settings.update', subjectType: 'settings', subjectId: 0,
        fromState: JSON.stringify(before), toState: JSON.stringify(after),
      })
    })
    if (!ok) return reply
    return reply.redirect('/admin/settings?saved=1', 303)
  })
}
