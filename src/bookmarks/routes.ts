// Bookmarks ("Les senere"): the toggle under posts and updates, and the person's own list of them.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { safeNextPath } from '../web/next-path.js'
import { doneAfterPost } from '../web/in-place.js'
import { toggleBookmark } from './service.js'
import { listVisibleBookmarks } from './queries.js'
import { loadItems } from './items.js'

const PAGE = 20
const ToggleParams = Type.Object({ kind: Type.Union([Type.Literal('post'), Type.Literal('micro')]), id: Type.Integer({ minimum: 1 }) })
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })
const ListQuery = Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })) })

/** Where the toggle's element is on every page that shows it. */
export const bookmarkAnchor = (kind: 'post' | 'micro', id: number) => (kind === 'post' ? `bookmark_post_${id}` : `micro_${id}`)

export async function bookmarkRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin) // bookmarks are private: only their owner's, so logged in

  app.get('/bookmarks', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const { before } = req.query as Static<typeof ListQuery>
    const rows = await listVisibleBookmarks(app.db, req.user!.id, before, PAGE)
    const page = rows.slice(0, PAGE)
    const items = await loadItems(app.db, req.user!, page.map((r) => (r.post_id ? { kind: 'post', id: r.post_id } : { kind: 'micro', id: r.micro_id! })))
    return reply.viewAsync('bookmarks/list', {
      title: req.t('bookmarks.title'), items, here: before ? `/bookmarks?before=${before}` : '/bookmarks',
      older: rows.length > PAGE ? page[page.length - 1]!.id : undefined, paged: before !== undefined,
    })
  })

  app.post('/bookmarks/:kind/:id', { schema: { params: ToggleParams, body: NextBody } }, async (req, reply) => {
    const { kind, id } = req.params as Static<typeof ToggleParams>
    const kept = await toggleBookmark(app.db, req.user!, kind, id)
    req.log.info({ kind, id, kept }, 'bookmark toggled')
    const next = (req.body as Static<typeof NextBody>).next
    return doneAfterPost(req, reply, {
      location: `${next ? safeNextPath(next) : '/bookmarks'}#${bookmarkAnchor(kind, id)}`,
      message: req.t(kept ? 'bookmarks.kept' : 'bookmarks.released'),
    })
  })
}
