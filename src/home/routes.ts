// The front page: the pinned post (if an editor pinned one), then the newest published posts.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { decodeCursor } from '../posts/cursor.js'
import { findPinnedPost, listPublishedPosts } from '../posts/queries.js'
import { cardPage, cardScopes, toCards } from '../posts/view.js'
import { feedLinks } from '../feeds/links.js'
import { dependsOn } from '../web/page-cache.js'
import { viewShared } from '../web/shared-page.js'
import { siteIntroHtmlIn } from '../settings/store.js'

const PAGE_SIZE = 20
const HomeQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 100 })) })

export async function homeRoutes(app: FastifyInstance) {
  app.get('/', { schema: { querystring: HomeQuery } }, async (req, reply) => {
    const before = decodeCursor((req.query as Static<typeof HomeQuery>).before)
    dependsOn(req, 'posts', 'uploads') // the list and the covers; each card's post below
    // The same for every reader of the same kind: rendered once, shared (src/web/shared-page.ts).
    return viewShared(req, reply, 'home/index', async () => {
      const pinnedRow = await findPinnedPost(app.db)
      const rows = await listPublishedPosts(app.db, { before, limit: PAGE_SIZE, excludeId: pinnedRow?.id })
      dependsOn(req, ...cardScopes([pinnedRow, ...rows]))
      const page = await cardPage(app.db, rows, PAGE_SIZE)
      const pinned = pinnedRow && !before ? (await toCards(app.db, [pinnedRow]))[0] : undefined
      const feed = await feedLinks(req, reply, { kind: 'posts' })
      return { title: req.t('site.name'), pinned, cards: page.cards, next: page.next, later: !!before, feedLinks: feed, introHtml: siteIntroHtmlIn(req.settings, req.lang) }
    })
  })
}
