// Images: serving the stored files, and "my images" (upload, list, correct alt text and credit, delete).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { InvalidError, NotFoundError, ForbiddenError } from '../errors.js'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { acceptMultipart, receivedFile } from './multipart.js'
import { findUpload, findUploadByPath, listUploadsOf } from './queries.js'
import { deleteUpload, imageUses, storeUpload, updateImageText } from './service.js'
import { resolveUploadPath, UPLOADS_URL_PREFIX } from './storage.js'
import { imageView } from './view.js'

const PAGE_SIZE = 24
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const ListQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1 })), uploaded: Type.Optional(Type.Integer({ minimum: 1 })), deleted: Type.Optional(Type.Literal('1')),
})
const UploadBody = Type.Object({ imageAlt: Type.Optional(Type.String({ maxLength: 2000 })), imageCredit: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })
// Names are ours: '<yyyy>/<mm>/<32 hex>[-<width>].<ext>'; a variant belongs to the row of its main file.
const VARIANT_SUFFIX = /-[1-9]\d{0,4}(\.[a-z]+)$/

export async function uploadRoutes(app: FastifyInstance) {
  app.get('/uploads/*', async (req, reply) => {
    const urlPath = req.url.split('?')[0] ?? ''
    const file = resolveUploadPath(app.config.uploadsDir, urlPath)
    if (!file) throw new NotFoundError('upload')
    const row = await findUploadByPath(app.db, urlPath.slice(UPLOADS_URL_PREFIX.length).replace(VARIANT_SUFFIX, '$1'))
    const size = row ? await stat(file).then((s) => s.size, () => undefined) : undefined
    if (!row || size === undefined) throw new NotFoundError('upload')
    // File names never change content: cache for a year. Private when the site needs login.
    const scope = req.settings.visibility === 'public' ? 'public' : 'private'
    return reply
      .header('content-type', row.mime)
      .header('content-length', size)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', `${scope}, max-age=31536000, immutable`)
      .send(createReadStream(file))
  })

  await app.register(myImageRoutes)
}

async function myImageRoutes(app: FastifyInstance) {
  // onRequest, not preHandler: an anonymous request is turned away before a multipart body is read.
  app.addHook('onRequest', requireLogin)
  await acceptMultipart(app)

  async function listPage(req: FastifyRequest, before?: number, uploadedId?: number) {
    const rows = await listUploadsOf(app.db, req.user!.id, before, PAGE_SIZE)
    const images = rows.slice(0, PAGE_SIZE).map(imageView)
    const uploaded = uploadedId ? images.find((i) => i.id === uploadedId) : undefined
    return {
      title: req.t('uploads.mine.title'), images, uploaded, later: before !== undefined,
      nextBefore: rows.length > PAGE_SIZE ? images[images.length - 1]?.id : undefined,
      uploadLimitMb: Math.round((app.config.uploadLimitBytes / 1024 / 1024) * 10) / 10,
      form: { values: { imageAlt: '', imageCredit: '' }, errors: {} },
    }
  }

  app.get('/my/images', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof ListQuery>
    return reply.viewAsync('uploads/index', { ...(await listPage(req, q.before, q.uploaded)), notice: q.deleted ? 'uploads.deleted' : undefined })
  })

  app.post('/my/images', { schema: { body: UploadBody } }, async (req, reply) => {
    const body = req.body as Static<typeof UploadBody>
    const values = { imageAlt: body.imageAlt ?? '', imageCredit: body.imageCredit ?? '' }
    let id: number | undefined
    const ok = await submitForm(reply, 'uploads/index', values, await listPage(req), async () => {
      id = await storeUpload(app.db, app.config.uploadsDir, req.user!, receivedFile(req), { alt: values.imageAlt, credit: values.imageCredit })
    })
    if (!ok) return reply
    req.log.info({ uploadId: id }, 'image uploaded')
    return reply.redirect(`/my/images?uploaded=${id}`, 303)
  })

  // For the editor's image button, drag and drop and paste (JavaScript): the same checks and processing
  // as the form, answered as JSON; each problem is a sentence in the reader's language.
  app.post('/my/images/upload', { schema: { body: UploadBody } }, async (req, reply) => {
    const body = req.body as Static<typeof UploadBody>
    try {
      const id = await storeUpload(app.db, app.config.uploadsDir, req.user!, receivedFile(req), { alt: body.imageAlt, credit: body.imageCredit })
      const image = imageView((await findUpload(app.db, id))!)
      req.log.info({ uploadId: id }, 'image uploaded')
      return reply.code(201).send({ id, url: image.url, alt: image.alt, credit: image.credit, snippet: image.snippet })
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err
      const errors = Object.fromEntries(Object.entries(err.fields).map(([field, key]) => [field, req.t(key)]))
      return reply.code(422).send({ errors, message: Object.values(errors).join(' ') })
    }
  })

  async function ownImage(req: FastifyRequest, id: number) {
    const row = await findUpload(app.db, id)
    if (!row) throw new NotFoundError('upload')
    if (row.owner_id !== req.user!.id) throw new ForbiddenError('not the owner')
    return imageView(row)
  }

  app.get('/my/images/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const image = await ownImage(req, id)
    return reply.viewAsync('uploads/edit', {
      title: req.t('uploads.edit.title'), image, uses: await imageUses(app.db, req.user!, id),
      form: { values: { imageAlt: image.alt, imageCredit: image.credit }, errors: {} },
    })
  })

  app.post('/my/images/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await deleteUpload(app.db, app.config.uploadsDir, req.user!, id)
    req.log.info({ uploadId: id }, 'image deleted')
    return reply.redirect('/my/images?deleted=1', 303)
  })

  app.post('/my/images/:id', { schema: { params: IdParams, body: UploadBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const image = await ownImage(req, id)
    const body = req.body as Static<typeof UploadBody>
    const values = { imageAlt: body.imageAlt ?? '', imageCredit: body.imageCredit ?? '' }
    const ok = await submitForm(reply, 'uploads/edit', values, { title: req.t('uploads.edit.title'), image, uses: await imageUses(app.db, req.user!, id) }, () =>
      updateImageText(app.db, req.user!, id, { alt: values.imageAlt, credit: values.imageCredit }))
    if (!ok) return reply
    return reply.redirect('/my/images', 303)
  })
}
