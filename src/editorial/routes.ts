// The editors' side: the queue (oldest first), the review page of one post, and the decisions
// (publish now, schedule, request changes, reject), withdrawing and pinning.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireEditor } from '../web/guards.js'
import { feedLinks } from '../feeds/links.js'
import { InvalidError, NotFoundError } from '../errors.js'
import { decodeCursor, pageOf } from '../posts/cursor.js'
import { findPostById } from '../posts/queries.js'
import { postPath } from '../posts/post.js'
import { decide, setPinned, withdrawPost } from './service.js'
import { listQueue, listScheduled } from './queries.js'
import { queueItem, reviewPage, type DecisionForm } from './review-view.js'

const PAGE_SIZE = 50
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const QueueQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })), notice: Type.Optional(Type.String({ maxLength: 50 })) })
const DecideBody = Type.Object({
  decision: Type.Union([Type.Literal('publish'), Type.Literal('schedule'), Type.Literal('request-changes'), Type.Literal('reject')]),
  note: Type.Optional(Type.String({ maxLength: 20_000 })),
  scheduleNote: Type.Optional(Type.String({ maxLength: 20_000 })),
  publishAt: Type.Optional(Type.String({ maxLength: 40 })),
  revisionId: Type.Optional(Type.Integer({ minimum: 1 })),
  _csrf: Type.Optional(Type.String()),
})
const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 20_000 })), _csrf: Type.Optional(Type.String()) })
const NOTICES = ['editorial.done.publish', 'editorial.done.schedule', 'editorial.done.request-changes', 'editorial.done.reject', 'posts.deleted']

export async function editorialRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireEditor)

  app.get('/editorial', { schema: { querystring: QueueQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof QueueQuery>
    const rows = await listQueue(app.db, decodeCursor(q.after), PAGE_SIZE)
    const page = pageOf(rows, PAGE_SIZE, (r) => ({ at: r.queued_at ?? '', id: r.id }))
    const now = new Date()
    const feed = await feedLinks(req, reply, { kind: 'editorial' })
    return reply.viewAsync('editorial/queue', {
      title: req.t('editorial.queue.title'), feedLinks: feed, items: page.items.map((r) => queueItem(req.t, r, now)), next: page.next, later: !!q.after,
      scheduled: await listScheduled(app.db, 50), notice: q.notice && NOTICES.includes(q.notice) ? q.notice : undefined,
    })
  })

  app.get('/editorial/posts/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    return reply.viewAsync('editorial/review', await reviewPage(app, req, id))
  })

  app.post('/editorial/posts/:id/decide', { schema: { params: IdParams, body: DecideBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const body = req.body as Static<typeof DecideBody>
    const scheduling = body.decision === 'schedule'
    const note = scheduling ? body.scheduleNote : body.note
    try {
      await decide(app.db, req.user!, id, body.decision, { note, publishAt: body.publishAt, revisionId: body.revisionId }, req.settings)
    } catch (err) {
      if (!(err instanceof InvalidError)) throw err
      return rerender(req, reply, id, body, err)
    }
    req.log.info({ postId: id, decision: body.decision }, 'editorial decision')
    return reply.redirect(`/editorial?notice=editorial.done.${body.decision}`, 303)
  })

  app.post('/editorial/posts/:id/withdraw', { schema: { params: IdParams, body: NoteBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await withdrawPost(app.db, req.user!, id, (req.body as Static<typeof NoteBody>).note ?? '', req.settings)
    req.log.info({ postId: id }, 'post withdrawn')
    return backToPost(reply, id)
  })

  for (const [action, pinned] of [['pin', true], ['unpin', false]] as const) {
    app.post(`/editorial/posts/:id/${action}`, { schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>
      await setPinned(app.db, req.user!, id, pinned, req.settings)
      req.log.info({ postId: id, pinned }, 'post pin changed')
      return backToPost(reply, id)
    })
  }

  async function backToPost(reply: FastifyReply, id: number) {
    const post = await findPostById(app.db, id)
    if (!post) throw new NotFoundError('post')
    return reply.redirect(postPath(post.slug), 303)
  }

  async function rerender(req: FastifyRequest, reply: FastifyReply, id: number, body: Static<typeof DecideBody>, err: InvalidError) {
    const scheduling = body.decision === 'schedule'
    const errors = { ...err.fields }
    if (scheduling && errors.note) {
      errors.scheduleNote = errors.note
      delete errors.note
    }
    const form: DecisionForm = { values: { note: body.note ?? '', scheduleNote: body.scheduleNote ?? '', publishAt: body.publishAt ?? '' }, errors }
    return reply.code(422).viewAsync('editorial/review', await reviewPage(app, req, id, form))
  }
}
