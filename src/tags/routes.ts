// Tag pages: the index of tags in use with counts, and a tag's archive (its published posts and the
// microblog updates that carry it). Tags are matched normalised: /tags/IKT redirects to /tags/ikt.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { decodeCursor, pageOf } from '../posts/cursor.js'
import { normaliseTag } from '../posts/slug.js'
import { tagPath } from '../posts/post.js'
import { authorLink, cardPage, cardScopes } from '../posts/view.js'
import { findTagByName, listTagIndex, listTagMicros, listTagPosts } from './queries.js'
import { feedLinks } from '../feeds/links.js'
import { tagFollowButton } from '../following/service.js'
import { dependsOn } from '../web/page-cache.js'
import { viewShared } from '../web/shared-page.js'

const POSTS_PER_PAGE = 20
const MICROS_PER_PAGE = 20
const TAGS_PER_PAGE = 200
const TagParams = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 200 }) })
const ArchiveQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 100 })), microBefore: Type.Optional(Type.String({ maxLength: 100 })) })
const IndexQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 200 })) })

export async function tagRoutes(app: FastifyInstance) {
  app.get('/tags', { schema: { querystring: IndexQuery } }, async (req, reply) => {
    const { after } = req.query as Static<typeof IndexQuery>
    const rows = await listTagIndex(app.db, after, TAGS_PER_PAGE)
    const tags = rows.slice(0, TAGS_PER_PAGE).map((r) => ({ name: r.name, url: tagPath(r.name), posts: r.post_count, micros: r.micro_count }))
    return reply.viewAsync('tags/index', {
      title: req.t('tags.index.title'), tags, later: !!after,
      nextAfter: rows.length > TAGS_PER_PAGE ? tags[tags.length - 1]?.name : undefined,
    })
  })

  app.get('/tags/:tag', { schema: { params: TagParams, querystring: ArchiveQuery } }, async (req, reply) => {
    const raw = (req.params as Static<typeof TagParams>).tag
    const name = normaliseTag(raw)
    if (!name) throw new NotFoundError('tag')
    if (name !== raw) return reply.redirect(tagPath(name), 301)
    const tag = await findTagByName(app.db, name)
    if (!tag) throw new NotFoundError('tag')
    const q = req.query as Static<typeof ArchiveQuery>
    // The lists, the covers and the tag's updates; the posts and updates shown below (0241).
    dependsOn(req, 'posts', 'uploads', `tag:${tag.id}`)
    // Shared by every reader of the same kind who follows the tag or not (src/web/shared-page.ts).
    const follow = await tagFollowButton(app.db, req.user, tag)
    return viewShared(req, reply, 'tags/show', async () => {
      const [postRows, microRows] = await Promise.all([
        listTagPosts(app.db, tag.id, decodeCursor(q.before), POSTS_PER_PAGE),
        listTagMicros(app.db, tag.id, decodeCursor(q.microBefore), MICROS_PER_PAGE),
      ])
      dependsOn(req, ...cardScopes(postRows), ...microRows.map((m) => `micro:${m.id}`))
      const posts = await cardPage(app.db, postRows, POSTS_PER_PAGE)
      const micros = pageOf(microRows, MICROS_PER_PAGE, (r) => ({ at: r.tagged_at, id: r.id }))
      const feed = await feedLinks(req, reply, { kind: 'tag', tag: name })
      return {
        title: req.t('tags.archive.title', { tag: name }), tag: { name, url: tagPath(name) },
        cards: posts.cards, next: posts.next, laterPosts: !!q.before,
        micros: micros.items.map((m) => ({ id: m.id, html: m.body_html, createdAt: m.created_at, author: authorLink(m.author_username, m.author_name) })),
        microNext: micros.next, laterMicros: !!q.microBefore, feedLinks: feed, follow,
      }
    }, { personal: follow ? `following:${follow.on}` : '' })
  })
}
