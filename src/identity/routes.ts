// Site identity for administrators (/admin/identity), and the logo file, which every page shows (the
// login page too: reachable without login).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { InvalidError, NotFoundError } from '../errors.js'
import { requireAdmin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { acceptMultipart, receivedFile } from '../uploads/multipart.js'
import { resolveStoredPath } from '../uploads/storage.js'
import { FOOTER_LINK_KINDS } from '../settings/store.js'
import { LIMITS, LOGO_MAX_HEIGHT, removeLogo, saveIdentity, setLogo, TEXT_LANGS, type IdentityForm } from './service.js'

export const LOGO_URL_PREFIX = '/site-logo/'
const text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const Body = Type.Object({
  siteName: text(2000), siteTagline: text(2000), siteTaglineNn: text(2000), siteTaglineEn: text(2000),
  siteIntroMd: text(40000), siteIntroMdNn: text(40000), siteIntroMdEn: text(40000),
  contactLabel: text(2000), contactUrl: text(4000), privacyLabel: text(2000), privacyUrl: text(4000),
  accessibilityLabel: text(2000), accessibilityUrl: text(4000), _csrf: Type.Optional(Type.String()),
})
const NOTICES = ['identity.saved', 'identity.logo.saved', 'identity.logo.removed']

export async function identityRoutes(app: FastifyInstance) {
  app.get('/site-logo/*', { config: { public: true } }, async (req, reply) => {
    const rel = (req.url.split('?')[0] ?? '').slice(LOGO_URL_PREFIX.length)
    const logo = req.settings.siteLogo
    const file = logo && logo.path === rel ? resolveStoredPath(app.config.uploadsDir, rel) : undefined
    const size = file ? await stat(file).then((s) => s.size, () => undefined) : undefined
    if (!file || size === undefined) throw new NotFoundError('logo')
    return reply.header('content-type', rel.endsWith('.png') ? 'image/png' : 'image/jpeg').header('content-length', size)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=31536000, immutable')
      .send(createReadStream(file))
  })
  await app.register(adminRoutes)
}

async function adminRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireAdmin) // before a multipart body is read
  await acceptMultipart(app)

  async function page(req: FastifyRequest, notice?: string) {
    const s = await app.settings.get()
    const values: Record<string, string> = { siteName: s.siteName }
    for (const { suffix } of TEXT_LANGS) {
      values[`siteTagline${suffix}`] = s[`siteTagline${suffix}`]
      values[`siteIntroMd${suffix}`] = s[`siteIntroMd${suffix}`]
    }
    for (const kind of FOOTER_LINK_KINDS) {
      const link = s.siteFooterLinks.find((l) => l.kind === kind)
      values[`${kind}Label`] = link?.label ?? ''
      values[`${kind}Url`] = link?.url ?? ''
    }
    return {
      title: req.t('identity.title'), kinds: FOOTER_LINK_KINDS, textLangs: TEXT_LANGS, limits: LIMITS, logoHeight: LOGO_MAX_HEIGHT,
      mb: Math.round((app.config.uploadLimitBytes / 1024 / 1024) * 10) / 10,
      logo: s.siteLogo ? { ...s.siteLogo, url: LOGO_URL_PREFIX + s.siteLogo.path } : undefined,
      notice: notice && NOTICES.includes(notice) ? notice : undefined,
      form: { values, errors: {} }, logoError: undefined as string | undefined,
    }
  }

  app.get('/admin/identity', { schema: { querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 50 })) }) } }, async (req, reply) => {
    return reply.viewAsync('identity/edit', await page(req, (req.query as { notice?: string }).notice))
  })

  app.post('/admin/identity', { schema: { body: Body } }, async (req, reply) => {
    const { _csrf, ...values } = req.body as Static<typeof Body>
    const ok = await submitForm(reply, 'identity/edit', values, await page(req), () => saveIdentity(app.db, app.settings, req.user!, values as Partial<IdentityForm>))
    if (!ok) return reply
    return reply.redirect('/admin/identity?notice=identity.saved', 303)
  })

  app.post('/admin/identity/logo', async (req, reply) => {
    try {
      await setLogo(app.db, app.settings, app.config.uploadsDir, req.user!, receivedFile(req))
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err
      return reply.code(422).send(await reply.viewAsync('identity/edit', { ...(await page(req)), logoError: err.fields.logo }))
    }
    return reply.redirect('/admin/identity?notice=identity.logo.saved', 303)
  })

  app.post('/admin/identity/logo/delete', async (req, reply) => {
    await removeLogo(app.db, app.settings, app.config.uploadsDir, req.user!)
    return reply.redirect('/admin/identity?notice=identity.logo.removed', 303)
  })
}
