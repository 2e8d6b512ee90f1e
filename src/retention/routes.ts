// Administration → Retention rules: the rules, the dry run of what they reach now, and a manual run.
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { CONTENT_TYPES, loadRules, parseRules, planDisposal, runDisposal, saveRules, type Rule } from './service.js'
import type { Job } from '../jobs/scheduler.js'

const field = Type.Optional(Type.String({ maxLength: 20 }))
const Body = Type.Object({
  updatesYears: field, updatesAction: field, commentsYears: field, commentsAction: field, postsYears: field, postsAction: field,
  _csrf: Type.Optional(Type.String()),
})

function formValues(rules: Rule[]): Record<string, string> {
  const v: Record<string, string> = {}
  for (const type of CONTENT_TYPES) {
    const r = rules.find((x) => x.type === type)
    v[`${type}Years`] = r ? String(r.years) : ''
    v[`${type}Action`] = r?.action ?? 'delete'
  }
  return v
}

/** The daily disposal (the scheduler also runs it at start-up). */
export const retentionJob: Job = {
  name: 'retention',
  intervalMs: 24 * 3600_000,
  run: async (app, now) => {
    const done = await runDisposal(app.db, now)
    if (done.length) app.log.info({ items: done.length }, 'retention disposal')
  },
}

export async function retentionRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  const page = async (title: string, ran?: number) => ({ title, types: CONTENT_TYPES, plan: await planDisposal(app.db), ran })

  app.get('/admin/retention', { schema: { querystring: Type.Object({ saved: Type.Optional(Type.String()), ran: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const q = req.query as { saved?: string; ran?: string }
    const ran = q.ran !== undefined && /^\d+$/.test(q.ran) ? Number(q.ran) : undefined
    return reply.viewAsync('retention/index', { ...(await page(req.t('retention.title'), ran)), saved: !!q.saved, form: { values: formValues(await loadRules(app.db)), errors: {} } })
  })

  app.post('/admin/retention', { schema: { body: Body } }, async (req, reply) => {
    const values = req.body as Record<string, string | undefined>
    const ok = await submitForm(reply, 'retention/index', values, await page(req.t('retention.title')), async () => {
      await saveRules(app.db, req.user!, parseRules(values))
    })
    if (!ok) return reply
    return reply.redirect('/admin/retention?saved=1', 303)
  })

  app.post('/admin/retention/run', async (_req, reply) => {
    const done = await runDisposal(app.db)
    return reply.redirect(`/admin/retention?ran=${done.length}`, 303)
  })
}
