import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireEditor, requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { safeNextPath } from '../web/next-path.js'
import { NotFoundError } from '../errors.js'
import { findCurrentVersion, findVersion, hasAccepted, listVersions } from './queries.js'
import { acceptGuidelines, GUIDELINES_MAX, publishGuidelines } from './service.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) })
const AcceptBody = Type.Object({ versionId: Type.Integer({ minimum: 1 }), next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })
const EditBody = Type.Object({ body: Type.String({ maxLength: GUIDELINES_MAX * 2 }), note: Type.Optional(Type.String({ maxLength: 1000 })), _csrf: Type.Optional(Type.String()) })

export async function guidelineRoutes(app: FastifyInstance) {
  app.get('/guidelines', async (req, reply) => {
    const current = await findCurrentVersion(app.db)
    const accepted = current && req.user ? await hasAccepted(app.db, req.user.id, current.id) : false
    return reply.viewAsync('guidelines/show', { title: req.t('guidelines.title'), current, accepted, versions: await listVersions(app.db) })
  })

  app.get('/guidelines/versions/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const version = await findVersion(app.db, (req.params as Static<typeof IdParams>).id)
    if (!version) throw new NotFoundError('guidelines version')
    return reply.viewAsync('guidelines/version', { title: req.t('guidelines.versionTitle', { id: version.id }), version })
  })

  app.get('/guidelines/accept', { preHandler: requireLogin, schema: { querystring: NextQuery } }, async (req, reply) => {
    const current = await findCurrentVersion(app.db)
    const next = safeNextPath((req.query as Static<typeof NextQuery>).next)
    if (!current) return reply.redirect(next, 303)
    return reply.viewAsync('guidelines/accept', { title: req.t('guidelines.acceptTitle'), current, next })
  })

  app.post('/guidelines/accept', { preHandler: requireLogin, schema: { body: AcceptBody } }, async (req, reply) => {
    const body = req.body as Static<typeof AcceptBody>
    await acceptGuidelines(app.db, req.user!, body.versionId)
    req.log.info({ userId: req.user!.id, versionId: body.versionId }, 'guidelines accepted')
    return reply.redirect(safeNextPath(body.next), 303)
  })

  app.get('/guidelines/edit', { preHandler: requireEditor }, async (req, reply) => {
    const current = await findCurrentVersion(app.db)
    return reply.viewAsync('guidelines/edit', { title: req.t('guidelines.edit'), form: { values: { body: current?.body_md ?? '', note: '' }, errors: {} } })
  })

  app.post('/guidelines', { preHandler: requireEditor, schema: { body: EditBody } }, async (req, reply) => {
    const body = req.body as Static<typeof EditBody>
    const values = { body: body.body, note: body.note ?? '' }
    const ok = await submitForm(reply, 'guidelines/edit', values, { title: req.t('guidelines.edit') }, () => publishGuidelines(app.db, req.user!, values))
    if (!ok) return reply
    return reply.redirect('/guidelines', 303)
  })
}
