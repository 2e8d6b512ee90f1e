// Old WordPress URLs keep working: /?p=123, /2009/05/slug/, /tag/ikt/, /category/x/, /feed/,
// /author/name/, /wp-content/uploads/… and every imported item's own old address (/om/kontakt/,
// /%postname%/) answer 301 with the new page (src/redirects/resolve.ts).
//
// The routes are chosen so they never shadow another feature's: fixed WordPress prefixes nobody else
// uses, dated permalinks only where the first two segments are a 4-digit year and a 2-digit month,
// and two hooks that only act when they find a target: one on the front page's ?p= / ?page_id=
// queries (otherwise the front page is shown as usual), one on requests no route answers (pages'
// and /%postname%/ links), which otherwise get the normal 404 page. A page of ours always wins.
// The routes are not `public`: in internal mode the reader logs in first and is then sent on.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { resolveOldUrl } from './resolve.js'

const WILDCARD = { params: Type.Object({ '*': Type.String({ maxLength: 500 }) }) }
const DATED = {
  params: Type.Object({ year: Type.String(), month: Type.String(), '*': Type.String({ maxLength: 500 }) }),
}
// Query keys WordPress answered on its front page (see parseWordPressPath).
const FRONT_PAGE_KEYS = /[?&](p|page_id|attachment_id|cat|author|feed|tag|s)=/

export async function redirectRoutes(app: FastifyInstance): Promise<void> {
  const redirect = async (req: FastifyRequest, reply: FastifyReply) => {
    const target = await resolveOldUrl(app.db, req.url)
    if (!target) return reply.callNotFound()
    req.log.debug({ from: req.url, to: target }, 'old WordPress URL redirected')
    return reply.redirect(target, 301)
  }

  for (const prefix of ['/tag/*', '/category/*', '/author/*', '/wp-content/uploads/*', '/index.php/*']) {
    app.get(prefix, { schema: WILDCARD }, redirect)
  }
  for (const feed of ['/feed/', '/feed/rss2/', '/feed/rss/', '/feed/atom/', '/feed/rdf/', '/comments/feed/', '/index.php']) {
    app.get(feed, redirect)
  }
  app.get('/:year(^\\d{4}$)/:month(^\\d{2}$)/*', { schema: DATED }, redirect)

  // /?p=123 and friends: the front page belongs to another feature, so a hook (not a route) looks at
  // it first and lets it through when there is nothing to redirect to.
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return
    const frontPage = req.routeOptions.url === '/' && FRONT_PAGE_KEYS.test(req.url)
    if (!frontPage && !req.is404) return
    const target = await resolveOldUrl(app.db, req.url)
    if (target) return reply.redirect(target, 301)
  })
}

// Like fastify-plugin: the hook above must see requests to the front page, which is registered
// outside this plugin, so this plugin does not get its own encapsulated context.
Object.defineProperty(redirectRoutes, Symbol.for('skip-override'), { value: true })
