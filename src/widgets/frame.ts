// Headers that let a widget be framed by the origins an administrator listed, and by nobody else.
// Every other page keeps frame-ancestors 'none' (src/web/security.ts).
import type { FastifyReply } from 'fastify'

/** The page's CSP with frame-ancestors opened to this site and the listed origins. */
export function allowFraming(reply: FastifyReply, origins: readonly string[]): void {
  const csp = String(reply.getHeader('content-security-policy') ?? '')
  const ancestors = `frame-ancestors 'self'${origins.map((o) => ` ${o}`).join('')}`
  reply.header('content-security-policy', /frame-ancestors [^;]*/.test(csp) ? csp.replace(/frame-ancestors [^;]*/, ancestors) : `${csp};${ancestors}`)
  // X-Frame-Options cannot list origins; frame-ancestors replaces it in every current browser.
  reply.removeHeader('x-frame-options')
}

/** The page's CSP with frame-src opened to this site (a page that previews a widget). */
export function allowOwnFrames(reply: FastifyReply): void {
  const csp = String(reply.getHeader('content-security-policy') ?? '')
  reply.header('content-security-policy', csp.replace(/frame-src([^;]*)/, "frame-src 'self'$1"))
}
