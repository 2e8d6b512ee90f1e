// One error handler: domain errors and Fastify's own become pages in the site's style and the
// reader's language. No stack trace ever reaches a user; 5xx are logged with the request id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { MessageKey } from './i18n/index.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import { logRefusal } from './refusals.js'

const PAGES = new Set([400, 403, 404, 409, 413, 429, 500])

export async function renderErrorPage(req: FastifyRequest, reply: FastifyReply, status: number, detail?: MessageKey) {
  const page = PAGES.has(status) ? status : status >= 500 ? 500 : 400
  const t = req.t
  reply.code(status)
  // An error page is never cached and never framed.
  reply.header('cache-control', 'no-store')
  if (!reply.locals?.t) {
    return reply.type('text/plain; charset=utf-8').send(`${status}`)
  }
  try {
    const html = await reply.viewAsync('errors/error', {
      title: t(`error.${page}.title` as MessageKey),
      message: detail ? t(detail) : t(`error.${page}.body` as MessageKey),
      status,
      reference: status >= 500 ? req.id : undefined,
    })
    return reply.type('text/html; charset=utf-8').send(html)
  } catch (renderErr) {
    req.log.error({ err: renderErr }, 'error page failed to render')
    return reply.type('text/plain; charset=utf-8').send(`${status}`)
  }
}

export function registerErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => renderErrorPage(req, reply, 404))

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.code === 'FST_CSRF_INVALID_TOKEN' || err.code === 'FST_CSRF_MISSING_SECRET') {
      logRefusal(req, 403, 'csrf', { code: err.code })
      return renderErrorPage(req, reply, 403, 'error.403.csrf')
    }
    if (err.validation) return renderErrorPage(req, reply, 400)
    if (err.code === 'BB_INVALID_ENCODING') return renderErrorPage(req, reply, 400, 'error.400.encoding')
    if (err instanceof ConflictError) return renderErrorPage(req, reply, 409, err.messageKey)
    if (err instanceof ForbiddenError) logRefusal(req, 403, 'forbidden', { detail: err.message })
    if (err instanceof NotFoundError) logRefusal(req, 404, 'hidden', { detail: err.message })
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) req.log.error({ err }, 'request failed')
    else req.log.info({ status, code: err.code, msg: err.message }, 'request refused')
    return renderErrorPage(req, reply, status === 422 ? 400 : status)
  })
}
