// Confirmation before destructive actions, without JavaScript too. A destructive form carries
// `_confirm=ask` and the message key of its question (views/partials/confirm.eta). With JavaScript the
// browser asks (static/app.js) and sends `_confirm=yes`; without it, this hook answers the first POST
// with a page that asks the question and sends the same form again, confirmed. Nothing is changed
// until the answer is yes.
import type { FastifyInstance } from 'fastify'
import type { MessageKey } from './i18n/index.js'
import { safeNextPath } from './next-path.js'

// The questions a form may ask: a key from this list only, never text from the request.
const QUESTIONS = new Set<string>([
  'admin.users.deactivateConfirm', 'posts.discard.confirm', 'posts.delete.confirm',
  'feeds.settings.renewConfirm', 'comment.deleteConfirm', 'micro.deleteConfirm', 'uploads.delete.confirm',
  'widgets.admin.renewConfirm', 'webhooks.deleteConfirm', 'webhooks.renewSecretConfirm',
  'profiles.picture.removeConfirm', 'identity.logo.removeConfirm',
])
const INTERNAL = new Set(['_csrf', '_confirm', '_question'])

export function registerConfirmation(app: FastifyInstance): void {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.body || typeof req.body !== 'object') return
    const body = req.body as Record<string, unknown>
    if (body._confirm !== 'ask') return
    const question = typeof body._question === 'string' && QUESTIONS.has(body._question) ? body._question : undefined
    const fields = Object.entries(body)
      .filter(([name, value]) => !INTERNAL.has(name) && typeof value === 'string')
      .map(([name, value]) => ({ name, value: value as string }))
    const back = backPath(req.headers.referer)
    const html = await reply.viewAsync('web/confirm', {
      title: req.t('confirm.title'), question: question as MessageKey | undefined, action: req.url, fields, back,
    })
    return reply.code(200).type('text/html; charset=utf-8').send(html)
  })
}

/** Where "cancel" goes: the page the form was on, if it is ours; a malformed Referer is ignored. */
function backPath(referer: string | undefined): string {
  if (!referer) return '/'
  try {
    return safeNextPath(new URL(referer, 'http://x.invalid').pathname)
  } catch {
    return '/'
  }
}
