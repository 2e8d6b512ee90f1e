// Pages made for a logged-in person, kept per session until content changes.
//
// Most of a logged-in page (the front page, a post, a tag archive, the timeline) is the same from one
// request to the next: rendering it again costs queries and a template for nothing. This keeps the
// rendered page under the session, the CSRF secret cookie (the page's forms carry tokens bound to
// both), the language and the URL. It is served only to the same session, after the session has been
// checked on this request (src/web/hooks.ts): a logged-out, expired or deactivated session never gets
// a hit. Freshness is the anonymous page cache's (src/web/page-cache.ts, dependsOn): a page lives
// until something it shows changes, in this process or any other; the person's own notifications
// (the header's badge) and guideline consent (the forms) count too.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CSRF_COOKIE } from './cookies.js'
import { answered, contentGeneration, GenerationCache, keptPage, pageIsCurrent, replayPage, type CachedPage } from './page-cache.js'
import { responseBuffer } from './page-buffers.js'
import { keptParts } from './shared-page.js'

const NO_BYTES = Buffer.alloc(0)
/** What a page kept as its parts holds (its entry, headers, scopes, values, closure and key): measured 2.8 KB of V8's heap and 0.8 KB beside it (bench/README.md, fourteenth run). */
const KEPT_PARTS_BYTES = 4_096

declare module 'fastify' {
  interface FastifyRequest {
    sessionPageKey: string | null
    sessionPageGen: number
  }
}

// Pages, and feeds read with a session (their body is shared; the per-request key check is not).
const KEPT_TYPE = /^(text\/html|application\/(rss|atom)\+xml)\b/

/** Register right after the session hook (it needs req.user) and before per-request extras. */
export function registerSessionPageCache(
  app: FastifyInstance,
  maxBytes: number,
): void {
  const cache = new GenerationCache<CachedPage>({ isCurrent: (page, gen) => pageIsCurrent(app.changes, page, gen), maxEntries: 10_000, maxBytes, ttlMs: 3_600_000 })
  const csrfCookie = CSRF_COOKIE(app.config)
  app.decorateRequest('sessionPageKey', null)
  app.decorateRequest('sessionPageGen', 0)
  app.addHook('onClose', async () => cache.clear())

  // Callback hooks: a kept page is answered without a promise (see page-cache.ts).
  app.addHook('onRequest', (req, reply, done) => {
    if (req.method !== 'GET' || !req.user || req.routeOptions.config?.pageCache === false) return done()
    const secret = req.cookies[csrfCookie]
    if (!secret) return done() // this response sets the CSRF cookie: not one to keep
    const key = `${req.user.sessionId} ${createHash('sha256').update(secret).digest('base64url')} ${req.lang} ${req.url}`
    const hit = cache.get(key)
    // A page kept as its parts is made anew for this response alone: its bytes go back to the pool after it.
    const body = hit?.remake ? hit.remake((size) => responseBuffer(reply.raw, size)) : hit?.body
    if (hit && body) return answered(replayPage(req, reply, hit, body), done) // done is not called: the reply is sent
    req.sessionPageKey = key
    req.sessionPageGen = contentGeneration()
    done()
  })

  app.addHook('onSend', (req, reply, payload, done) => done(null, keep(req, reply, payload)))

  function keep(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    const key = req.sessionPageKey
    if (!key || reply.statusCode !== 200 || reply.hasHeader('set-cookie')) return payload
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    if (!KEPT_TYPE.test(String(reply.getHeader('content-type') ?? ''))) return payload
    // One's own notifications (the badge), consent (the forms), follows and bookmarks (the buttons), feed key (links).
    const uid = req.user!.id
    const scopes = [`notifications:${uid}`, `guidelines:${uid}`, `follows:${uid}`, `feed-keys:${uid}`]
    // A page from a shared body is kept as its parts (shared-page.ts PageParts): the values only.
    const parts = req.pageParts?.page === payload ? keptParts(req.pageParts.parts) : undefined
    const page = keptPage(req, reply, parts ? NO_BYTES : payload, scopes)
    if (parts) page.remake = parts.remake
    cache.set(key, page, parts ? KEPT_PARTS_BYTES : page.body.length + 500, req.sessionPageGen)
    return parts ? payload : page.body
  }
}
