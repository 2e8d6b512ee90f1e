// Forms that update the page in place (static/app.js, forms with data-in-place): the script posts the
// same form to the same route with `Accept: application/json` and gets, instead of the redirect, where
// the browser would have gone, which page to fetch for the changed part, and a sentence for its live
// region. The CSRF check, the rules and every error page stay those of the plain form, which keeps
// working without JavaScript (a 303 as before).
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface AfterPost {
  /** Where the plain form goes (303). */
  location: string
  /** The page (with #id of the element to focus) the script fetches to swap the changed part; default location. */
  refresh?: string
  /** Announced to screen readers, in the reader's language. */
  message: string
}

export function wantsJson(req: FastifyRequest): boolean {
  return /^application\/json\b/.test(req.headers.accept ?? '')
}

export function doneAfterPost(req: FastifyRequest, reply: FastifyReply, after: AfterPost) {
  if (!wantsJson(req)) return reply.redirect(after.location, 303)
  return reply.send({ location: after.location, refresh: after.refresh ?? after.location, message: after.message })
}
