// Following: the follow buttons of author and tag pages, the list of what one follows, and the
// personal timeline. Everything here is for logged-in people only.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { safeNextPath } from '../web/next-path.js'
import { dependsOn } from '../web/page-cache.js'
import { doneAfterPost } from '../web/in-place.js'
import { tagPath } from '../posts/post.js'
import { followTag, followUser, personButton, tagButton, unfollowTag, unfollowUser } from './service.js'
import { listFollowedTags, listFollowedUsers } from './queries.js'
import { suggestionsFor, timelinePage } from './timeline.js'

const UserParams = Type.Object({ username: Type.String({ maxLength: 64 }) })
const TagParams = Type.Object({ tag: Type.String({ minLength: 1, maxLength: 200 }) })
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })
const TimelineQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 100 })) })

const back = (body: unknown, fallback: string, anchor: string) => {
  const next = (body as Static<typeof NextBody>).next
  return `${next ? safeNextPath(next) : fallback}#${anchor}`
}

export async function followingRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  app.get('/timeline', { schema: { querystring: TimelineQuery } }, async (req, reply) => {
    // Posts (cards: comment counts, covers) and updates; one's follows and bookmarks are the session page cache's.
    dependsOn(req, 'posts', 'comments', 'micro', 'uploads')
    const page = await timelinePage(app.db, req.user!, (req.query as Static<typeof TimelineQuery>).before)
    return reply.viewAsync('following/timeline', { title: req.t('following.timeline.title'), ...page })
  })

  app.get('/following', async (req, reply) => {
    const [people, tags] = await Promise.all([listFollowedUsers(app.db, req.user!.id), listFollowedTags(app.db, req.user!.id)])
    return reply.viewAsync('following/list', {
      title: req.t('following.list.title'),
      people: people.map((p) => ({ url: `/users/${encodeURIComponent(p.username)}`, button: personButton(p.id, p.username, p.display_name, true) })),
      tags: tags.map((t) => ({ url: tagPath(t.name), button: tagButton(t.id, t.name, true) })),
      suggestions: people.length + tags.length === 0 ? await suggestionsFor(app.db, req.user!) : undefined,
    })
  })

  app.post('/users/:username/follow', { schema: { params: UserParams, body: NextBody } }, async (req, reply) => {
    const { username } = req.params as Static<typeof UserParams>
    const id = await followUser(app.db, req.user!, username)
    req.log.info({ followedId: id }, 'person followed')
    const location = back(req.body, `/users/${encodeURIComponent(username)}`, `follow_user_${id}`)
    return doneAfterPost(req, reply, { location, message: req.t('following.followed') })
  })

  app.post('/users/:username/unfollow', { schema: { params: UserParams, body: NextBody } }, async (req, reply) => {
    const { username } = req.params as Static<typeof UserParams>
    const id = await unfollowUser(app.db, req.user!, username)
    req.log.info({ followedId: id }, 'person unfollowed')
    const location = back(req.body, `/users/${encodeURIComponent(username)}`, `follow_user_${id}`)
    return doneAfterPost(req, reply, { location, message: req.t('following.unfollowed') })
  })

  app.post('/tags/:tag/follow', { schema: { params: TagParams, body: NextBody } }, async (req, reply) => {
    const { tag } = req.params as Static<typeof TagParams>
    const id = await followTag(app.db, req.user!, tag)
    req.log.info({ tagId: id }, 'tag followed')
    return doneAfterPost(req, reply, { location: back(req.body, tagPath(tag), `follow_tag_${id}`), message: req.t('following.followed') })
  })

  app.post('/tags/:tag/unfollow', { schema: { params: TagParams, body: NextBody } }, async (req, reply) => {
    const { tag } = req.params as Static<typeof TagParams>
    const id = await unfollowTag(app.db, req.user!, tag)
    req.log.info({ tagId: id }, 'tag unfollowed')
    return doneAfterPost(req, reply, { location: back(req.body, tagPath(tag), `follow_tag_${id}`), message: req.t('following.unfollowed') })
  })
}
