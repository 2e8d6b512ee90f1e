// Every refusal is logged at warn with who, what, on which object and when (ASVS 5.0 16.3.2):
// 401/403, the 404 that hides an object from someone, a CSRF or cross-site refusal, a throttle.
// Never a secret: no tokens, passwords, cookies or query strings, only the route's pattern.
import type { FastifyRequest } from 'fastify'

// Path parameters that name an object. Tokens (invitations) are secrets and never logged.
const OBJECT_PARAMS = ['id', 'postId', 'itemId', 'rev', 'slug', 'username', 'tag']

export type RefusalReason = 'unauthenticated' | 'forbidden' | 'hidden' | 'csrf' | 'cross-site' | 'throttled' | 'login-failed' | 'deactivated'

export function logRefusal(req: FastifyRequest, status: number, reason: RefusalReason, extra: Record<string, unknown> = {}): void {
  const params = (req.params ?? {}) as Record<string, unknown>
  const key = OBJECT_PARAMS.find((p) => typeof params[p] === 'string' || typeof params[p] === 'number')
  req.log.warn({
    refusal: reason,
    status,
    actorId: req.user?.id ?? null,
    action: `${req.method} ${req.routeOptions?.url ?? '(no route)'}`,
    objectId: key ? String(params[key]).slice(0, 200) : null,
    at: new Date().toISOString(),
    ip: req.ip,
    ...extra,
  }, 'request refused')
}
