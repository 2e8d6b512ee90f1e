// Ids in paths are canonical decimal numbers or nothing: the schema's type coercion would otherwise
// read /micro/0x10 as update 16 and /comments/posts/1e3 as post 1000, giving one object many URLs.
// Checked once for every route, before validation: a non-canonical id is simply no page (404).
import type { FastifyInstance } from 'fastify'
import { renderErrorPage } from './error-handler.js'

// Parameters that name an object by its number: id, postId, itemId …, and a revision number.
const ID_PARAM = /^(id|rev|[a-z]+Id)$/
// 1 to 15 digits without a leading zero: always a safe integer.
const CANONICAL = /^[1-9][0-9]{0,14}$/

export function isCanonicalId(value: unknown): boolean {
  return typeof value === 'string' && CANONICAL.test(value)
}

export function registerCanonicalIds(app: FastifyInstance): void {
  app.addHook('preValidation', async (req, reply) => {
    const params = req.params as Record<string, unknown> | undefined
    if (!params) return
    for (const [name, value] of Object.entries(params)) {
      if (ID_PARAM.test(name) && !isCanonicalId(value)) return renderErrorPage(req, reply, 404)
    }
  })
}
