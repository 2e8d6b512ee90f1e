// Administration → Archive extract: a period in, a ZIP of the Noark 5 extract out (a POST: making one
// is recorded in the audit trail).
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { zipSync } from 'fflate'
import { requireAdmin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { createExtract, type Extract } from './service.js'
import { listRecentExtracts } from './queries.js'

const Body = Type.Object({
  from: Type.String({ maxLength: 20 }),
  to: Type.String({ maxLength: 20 }),
  _csrf: Type.Optional(Type.String()),
})

export function zipExtract(x: Extract): Buffer {
  const entries = Object.fromEntries(x.files.map((f) => [`${x.name}/${f.name}`, new Uint8Array(f.data.buffer, f.data.byteOffset, f.data.length)]))
  return Buffer.from(zipSync(entries, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') }))
}

export async function archiveRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireAdmin)

  const pageData = async (title: string) => ({ title, wide: false, recent: await listRecentExtracts(app.db, 10) })

  app.get('/admin/archive', async (req, reply) => {
    const today = new Date().toISOString().slice(0, 10)
    return reply.viewAsync('archive/index', { ...(await pageData(req.t('archive.title'))), form: { values: { from: `${today.slice(0, 4)}-01-01`, to: today }, errors: {} } })
  })

  app.post('/admin/archive', { schema: { body: Body } }, async (req, reply) => {
    const body = req.body as Static<typeof Body>
    const values = { from: body.from.trim(), to: body.to.trim() }
    let extract: Extract | undefined
    const ok = await submitForm(reply, 'archive/index', values, await pageData(req.t('archive.title')), async () => {
      extract = await createExtract(app.db, values, { id: req.user!.id, name: req.user!.username })
    })
    if (!ok || !extract) return reply
    req.log.info({ posts: extract.posts, documents: extract.documents }, 'archive extract made')
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="${extract.name}.zip"`)
      .header('cache-control', 'no-store')
      .send(zipExtract(extract))
  })
}
