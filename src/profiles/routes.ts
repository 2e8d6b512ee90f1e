// Profiles: the edit page (the person themselves, or an administrator) for picture, job title,
// unit and presentation, and the picture files themselves.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.js'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { acceptMultipart, receivedFile } from '../uploads/multipart.js'
import { resolveStoredPath } from '../uploads/storage.js'
import { AVATAR_URL_PREFIX, avatarOf } from './avatar.js'
import { findAvatarOwner, findProfile } from './queries.js'
import { MAX_BIO, MAX_JOB_TITLE, MAX_UNIT, mayEditProfile, removeProfilePicture, saveProfileText, setProfilePicture } from './service.js'

const Params = Type.Object({ username: Type.String({ maxLength: 64 }) })
const TextBody = Type.Object({
  unit: Type.Optional(Type.String({ maxLength: 2000 })), jobTitle: Type.Optional(Type.String({ maxLength: 2000 })),
  bio: Type.Optional(Type.String({ maxLength: 20000 })), _csrf: Type.Optional(Type.String()),
})
const NOTICES = ['profiles.saved', 'profiles.picture.saved', 'profiles.picture.removed']
// The main file or one of its sizes: '<yyyy>/<mm>/<32 hex>[-<size>].<ext>' (the grammar of src/uploads/storage.ts).
const SIZE_SUFFIX = /-[1-9]\d{0,4}(\.[a-z]+)$/

export async function profileEditRoutes(app: FastifyInstance) {
  app.get('/avatars/*', async (req, reply) => {
    const rel = (req.url.split('?')[0] ?? '').slice(AVATAR_URL_PREFIX.length)
    const file = resolveStoredPath(app.config.uploadsDir, rel)
    const owner = file ? await findAvatarOwner(app.db, rel.replace(SIZE_SUFFIX, '$1')) : undefined
    const size = owner && file ? await stat(file).then((s) => s.size, () => undefined) : undefined
    if (!file || size === undefined) throw new NotFoundError('picture')
    // A new picture gets a new name: cache for a year. Private when the site needs login.
    const scope = req.settings.visibility === 'public' ? 'public' : 'private'
    const ext = rel.slice(rel.lastIndexOf('.') + 1)
    return reply.header('content-type', ext === 'jpg' ? 'image/jpeg' : `image/${ext}`).header('content-length', size)
      .header('x-content-type-options', 'nosniff').header('cache-control', `${scope}, max-age=31536000, immutable`)
      .send(createReadStream(file))
  })
  await app.register(editRoutes)
}

async function editRoutes(app: FastifyInstance) {
  // onRequest: an anonymous request is turned away before a multipart body is read.
  app.addHook('onRequest', requireLogin)
  await acceptMultipart(app)

  async function editable(req: FastifyRequest) {
    const person = await findProfile(app.db, (req.params as Static<typeof Params>).username)
    if (!person) throw new NotFoundError('user')
    if (!mayEditProfile(req.user, person.id)) throw new ForbiddenError('not your profile')
    return person
  }

  async function page(req: FastifyRequest, notice?: string) {
    const p = await editable(req)
    const own = p.id === req.user!.id
    return {
      title: own ? req.t('profiles.edit.title') : req.t('profiles.edit.titleOf', { name: p.display_name }),
      person: { id: p.id, name: p.display_name, url: `/users/${encodeURIComponent(p.username)}`, avatar: avatarOf(p.display_name, p.avatar_path), own },
      action: `/users/${encodeURIComponent(p.username)}`,
      limits: { unit: MAX_UNIT, jobTitle: MAX_JOB_TITLE, bio: MAX_BIO, mb: Math.round((app.config.uploadLimitBytes / 1024 / 1024) * 10) / 10 },
      notice: notice && NOTICES.includes(notice) ? notice : undefined,
      form: { values: { unit: p.unit, jobTitle: p.job_title, bio: p.bio }, errors: {} },
      pictureError: undefined as string | undefined,
    }
  }

  app.get('/users/:username/edit', { schema: { params: Params, querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 50 })) }) } }, async (req, reply) => {
    return reply.viewAsync('profiles/edit', await page(req, (req.query as { notice?: string }).notice))
  })

  app.post('/users/:username/edit', { schema: { params: Params, body: TextBody } }, async (req, reply) => {
    const data = await page(req)
    const body = req.body as Static<typeof TextBody>
    const values = { unit: body.unit ?? '', jobTitle: body.jobTitle ?? '', bio: body.bio ?? '' }
    const ok = await submitForm(reply, 'profiles/edit', values, data, () => saveProfileText(app.db, req.user!, data.person.id, values))
    if (!ok) return reply
    return reply.redirect(`${data.action}/edit?notice=profiles.saved`, 303)
  })

  app.post('/users/:username/picture', { schema: { params: Params } }, async (req, reply) => {
    const data = await page(req)
    try {
      await setProfilePicture(app.db, app.config.uploadsDir, req.user!, data.person.id, receivedFile(req))
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err
      return reply.code(422).send(await reply.viewAsync('profiles/edit', { ...data, pictureError: err.fields.picture }))
    }
    req.log.info({ userId: data.person.id }, 'profile picture set')
    return reply.redirect(`${data.action}/edit?notice=profiles.picture.saved`, 303)
  })

  app.post('/users/:username/picture/delete', { schema: { params: Params } }, async (req, reply) => {
    const data = await page(req)
    await removeProfilePicture(app.db, app.config.uploadsDir, req.user!, data.person.id)
    return reply.redirect(`${data.action}/edit?notice=profiles.picture.removed`, 303)
  })
}
