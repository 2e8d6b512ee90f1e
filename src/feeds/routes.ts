import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { cacheBudget } from '../web/cache-budget.js'
import { isNotModified } from '../web/page-cache.js'
import { findFeedKeyUser } from './keys.js'
import { FEED_FORMATS, FEED_TYPES, feedPath, isAlwaysPrivate, withKey, type FeedFormat, type FeedTarget } from './paths.js'
import { createFeedCache, getFeed, withSelfKey } from './service.js'

const KeyQuery = Type.Object({ key: Type.Optional(Type.String({ maxLength: 200 })) })
const TagParams = Type.Object({ tag: Type.String({ maxLength: 200 }) })
const UserParams = Type.Object({ username: Type.String({ maxLength: 64 }) })
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 300 }) })
const EXT: Record<FeedFormat, string> = { rss: 'xml', atom: 'atom' }
/** Feed readers poll; five minutes of reuse is fresh enough and spares the server. */
const MAX_AGE = 300

// The RSS and Atom feeds (addresses in ./paths.ts). `public: true` lets feed readers past the login
// gate of an internal site: each request is checked here instead (personal key or session).
// logLevel warn: request logs would otherwise write the personal keys in the URLs to the log.
export async function feedRoutes(app: FastifyInstance) {
  const cache = createFeedCache(cacheBudget(app.config.cacheMegabytes).feeds)
  const options = (params?: object) => ({
    config: { public: true }, logLevel: 'warn' as const,
    schema: { querystring: KeyQuery, ...(params ? { params } : {}) },
  })

  /** Who may read, and whether the answer is private; undefined: 404, whatever the reason. */
  async function access(req: FastifyRequest, target: FeedTarget): Promise<{ private: boolean } | undefined> {
    const { key } = req.query as Static<typeof KeyQuery>
    let reader = req.user ? { isEditor: req.user.isEditor } : undefined
    if (key !== undefined) {
      reader = await findFeedKeyUser(app.db, key) // a wrong, renewed or deactivated key never falls back
      if (!reader) return undefined
    }
    if (isAlwaysPrivate(target)) return reader?.isEditor ? { private: true } : undefined
    if (req.settings.visibility === 'internal') return reader ? { private: true } : undefined
    return { private: key !== undefined || !!req.user }
  }

  async function serve(req: FastifyRequest, reply: FastifyReply, target: FeedTarget, format: FeedFormat) {
    const allowed = await access(req, target)
    if (!allowed) throw new NotFoundError('feed')
    const found = await getFeed(app.db, cache, { baseUrl: app.config.baseUrl, lang: req.lang, t: req.t }, target, format)
    if (!found) throw new NotFoundError('feed')
    if ('redirect' in found) {
      return reply.redirect(withKey(feedPath(found.redirect, format), (req.query as Static<typeof KeyQuery>).key), 301)
    }
    const { feed } = found
    const { key } = req.query as Static<typeof KeyQuery>
    const { body, etag } = key ? withSelfKey(feed, key) : feed
    reply.header('cache-control', `${allowed.private ? 'private' : 'public'}, max-age=${MAX_AGE}`)
    reply.header('vary', 'Accept-Language')
    reply.header('etag', etag)
    if (feed.lastModified) reply.header('last-modified', feed.lastModified)
    if (isNotModified(req, etag, feed.lastModified)) return reply.code(304).send()
    return reply.type(`${FEED_TYPES[format]}; charset=utf-8`).send(body)
  }

  for (const format of FEED_FORMATS) {
    const ext = EXT[format]
    app.get(`/feed.${ext}`, options(), (req, reply) => serve(req, reply, { kind: 'posts' }, format))
    app.get(`/micro/feed.${ext}`, options(), (req, reply) => serve(req, reply, { kind: 'micro' }, format))
    app.get(`/editorial/feed.${ext}`, options(), (req, reply) => serve(req, reply, { kind: 'editorial' }, format))
    app.get(`/tags/:tag/feed.${ext}`, options(TagParams), (req, reply) =>
      serve(req, reply, { kind: 'tag', tag: (req.params as Static<typeof TagParams>).tag }, format))
    app.get(`/users/:username/feed.${ext}`, options(UserParams), (req, reply) =>
      serve(req, reply, { kind: 'author', username: (req.params as Static<typeof UserParams>).username }, format))
    app.get(`/users/:username/updates/feed.${ext}`, options(UserParams), (req, reply) =>
      serve(req, reply, { kind: 'updates', username: (req.params as Static<typeof UserParams>).username }, format))
    app.get(`/posts/:slug/comments/feed.${ext}`, options(SlugParams), (req, reply) =>
      serve(req, reply, { kind: 'comments', slug: (req.params as Static<typeof SlugParams>).slug }, format))
  }
}
