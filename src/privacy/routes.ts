// Privacy rights: a person's own data as a ZIP (Settings → Privacy); an administrator's erasure of
// a person (Administration → Users → the person → Anonymise or delete).
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { zipSync } from 'fflate'
import { requireAdmin, requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { NotFoundError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { collectPersonalData, erasePerson, parseErasure, type PersonalData } from './service.js'
import { findPerson } from './queries.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const EraseBody = Type.Object({
  mode: Type.Optional(Type.String({ maxLength: 20 })), posts: Type.Optional(Type.String({ maxLength: 20 })),
  comments: Type.Optional(Type.String({ maxLength: 20 })), updates: Type.Optional(Type.String({ maxLength: 20 })),
  confirm: Type.Optional(Type.String({ maxLength: 5 })), _csrf: Type.Optional(Type.String()),
})

async function sendZip(reply: FastifyReply, data: PersonalData) {
  const html = await reply.viewAsync('privacy/export', { data, tableNames: Object.keys(data.tables) })
  const files: Record<string, Uint8Array> = {
    'data.json': Buffer.from(JSON.stringify(data.tables, null, 2)),
    'index.html': Buffer.from(html),
  }
  for (const img of data.images) files[img.name] = new Uint8Array(img.data)
  const name = `betablogg-data-${data.person.id}-${data.exportedAt.slice(0, 10)}.zip`
  return reply
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(zipSync(files, { level: 6 })))
}

export async function privacyRoutes(app: FastifyInstance) {
  app.get('/settings/privacy', { preHandler: requireLogin }, async (req, reply) => {
    return reply.viewAsync('privacy/mine', { title: req.t('privacy.title') })
  })

  app.post('/settings/privacy/export', { preHandler: requireLogin }, async (req, reply) => {
    return sendZip(reply, await collectPersonalData(app.db, app.config.uploadsDir, req.user!.id))
  })

  const person = async (id: number) => {
    const p = await findPerson(app.db, id)
    if (!p) throw new NotFoundError('user')
    return { id: p.id, name: p.display_name }
  }
  const erasePage = async (req: { t: (k: 'privacy.admin.title', p: { name: string }) => string }, id: number) => {
    const p = await person(id)
    return { title: req.t('privacy.admin.title', { name: p.name }), person: p }
  }

  app.get('/admin/users/:id/privacy', { preHandler: requireAdmin, schema: { params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const { id } = req.params as { id: number }
    const done = !!(req.query as { done?: string }).done
    return reply.viewAsync('privacy/erase', { ...(await erasePage(req, id)), done, form: { values: {}, errors: {} } })
  })

  app.post('/admin/users/:id/privacy/export', { preHandler: requireAdmin, schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as { id: number }
    const data = await collectPersonalData(app.db, app.config.uploadsDir, id)
    await appendAuditEvent(app.db, { actor: { id: req.user!.id, name: req.user!.username }, action: 'user.export', subjectType: 'user', subjectId: id })
    return sendZip(reply, data)
  })

  app.post('/admin/users/:id/privacy', { preHandler: requireAdmin, schema: { params: IdParams, body: EraseBody } }, async (req, reply) => {
    const { id } = req.params as { id: number }
    const body = req.body as Record<string, string | undefined>
    const ok = await submitForm(reply, 'privacy/erase', body, await erasePage(req, id), async () => {
      await erasePerson(app.db, req.user!, id, parseErasure(body), new Date(), app.config.uploadsDir)
    })
    if (!ok) return reply
    return reply.redirect(`/admin/users/${id}/privacy?done=1`, 303)
  })
}
