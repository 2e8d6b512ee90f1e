import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { safeNextPath } from '../web/next-path.js'
import { submitPosting } from '../moderation/form.js'
import { requireGuidelinesConsent } from '../guidelines/service.js'
import { deleteUpdate, postUpdate, toggleLike } from './service.js'
import { marksKey, threadPage, timelineMarks, timelinePage, userUpdatesPage } from './pages.js'
import { feedLinks } from '../feeds/links.js'
import { doneAfterPost } from '../web/in-place.js'
import { dependsOn } from '../web/page-cache.js'
import { viewShared } from '../web/shared-page.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const UserParams = Type.Object({ username: Type.String({ maxLength: 64 }) })
const BeforeQuery = Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })) })
const AfterQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) })
// Generous limits: a too-long text comes back as a form error, not as a 400 page.
const PostBody = Type.Object({ body: Type.String({ maxLength: 50_000 }), acceptGuidelines: Type.Optional(Type.String({ maxLength: 20 })), _csrf: Type.Optional(Type.String()) })
const NextBody = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })), _csrf: Type.Optional(Type.String()) })

const back = (next: string | undefined, fallback: string, id: number) => `${next ? safeNextPath(next) : fallback}#micro_${id}`

// The microblog: timeline, threads, posting, likes and deleting one's own update. Reading follows
// the site's visibility (the global gate: login in internal mode, open in public mode); every action
// needs a logged-in, active user.
export async function microRoutes(app: FastifyInstance) {
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return requireLogin(req, reply)
  })

  app.get('/micro', { schema: { querystring: BeforeQuery } }, async (req, reply) => {
    const { before } = req.query as Static<typeof BeforeQuery>
    dependsOn(req, 'micro')
    // The same for everyone but one's likes, bookmarks and guidelines: shared (src/web/shared-page.ts).
    const marks = req.user ? await timelineMarks(app.db, req, req.user, before) : undefined
    return viewShared(req, reply, 'micro/timeline', async (viewer) => {
      const feed = await feedLinks(req, reply, { kind: 'micro' })
      return { ...(await timelinePage(app.db, req, before, viewer, marks)), feedLinks: feed }
    }, {
      personal: marks ? marksKey(marks) : '',
      // Authors see their own delete buttons and no report link.
      owners: (page) => page.items.map((u) => u.authorId),
    })
  })

  app.post('/micro', { schema: { body: PostBody } }, async (req, reply) => {
    const { body, acceptGuidelines } = req.body as Static<typeof PostBody>
    let id = 0
    const ok = await submitPosting(reply, 'micro/timeline', { body }, () => timelinePage(app.db, req), async () => {
      await requireGuidelinesConsent(app.db, req.user!, acceptGuidelines)
      id = await postUpdate(app.db, req.user!, { body })
    })
    if (!ok) return reply
    req.log.info({ microId: id }, 'update posted')
    return reply.redirect(`/micro#micro_${id}`, 303)
  })

  app.get('/micro/:id', { schema: { params: IdParams, querystring: AfterQuery } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const { after } = req.query as Static<typeof AfterQuery>
    return reply.viewAsync('micro/thread', await threadPage(app.db, req, id, after))
  })

  app.post('/micro/:id/reply', { schema: { params: IdParams, body: PostBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const { body, acceptGuidelines } = req.body as Static<typeof PostBody>
    let newId = 0
    const ok = await submitPosting(reply, 'micro/thread', { body }, () => threadPage(app.db, req, id), async () => {
      await requireGuidelinesConsent(app.db, req.user!, acceptGuidelines)
      newId = await postUpdate(app.db, req.user!, { body, replyToId: id })
    })
    if (!ok) return reply
    req.log.info({ microId: newId, replyTo: id }, 'reply posted')
    // In place: the thread being read, with the new reply in it.
    return doneAfterPost(req, reply, { location: `/micro/${newId}#micro_${newId}`, refresh: `/micro/${id}#micro_${newId}`, message: req.t('micro.reply.done') })
  })

  app.post('/micro/:id/like', { schema: { params: IdParams, body: NextBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const liked = await toggleLike(app.db, req.user!, id)
    req.log.info({ microId: id, liked }, 'like toggled')
    const location = back((req.body as Static<typeof NextBody>).next, `/micro/${id}`, id)
    return doneAfterPost(req, reply, { location, message: req.t(liked ? 'micro.like.done' : 'micro.unlike.done') })
  })

  app.post('/micro/:id/delete', { schema: { params: IdParams, body: NextBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await deleteUpdate(app.db, req.user!, id)
    req.log.info({ microId: id }, 'update deleted')
    const location = back((req.body as Static<typeof NextBody>).next, `/micro/${id}`, id)
    return doneAfterPost(req, reply, { location, message: req.t('micro.delete.done') })
  })

  app.get('/users/:username/updates', { schema: { params: UserParams, querystring: BeforeQuery } }, async (req, reply) => {
    const { username } = req.params as Static<typeof UserParams>
    const { before } = req.query as Static<typeof BeforeQuery>
    const page = await userUpdatesPage(app.db, req, username, before)
    const feed = await feedLinks(req, reply, { kind: 'updates', username: page.person.username, name: page.person.displayName })
    return reply.viewAsync('micro/user-updates', { ...page, feedLinks: feed })
  })
}
