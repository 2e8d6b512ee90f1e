// "My posts": the author's posts in every state, with the editors' comments and what can be done next.
// Also the author's small actions on a post: delete it, or drop a pending change.
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { isAllowed as allowed } from '../editorial/state-machine.js'
import type { CurrentUser } from '../users/user.js'
import { decodeCursor, pageOf } from './cursor.js'
import { listPostsOfAuthor } from './queries.js'
import { deletePost, discardPendingEdit } from './service.js'
import { postPath } from './post.js'

const PAGE_SIZE = 30
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const ListQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 100 })), notice: Type.Optional(Type.String({ maxLength: 50 })) })
const NOTICES = ['posts.deleted', 'posts.editDiscarded', 'editorial.submitted', 'editorial.retracted']

export async function myPostRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  app.get('/my/posts', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof ListQuery>
    const user = req.user!
    const rows = await listPostsOfAuthor(app.db, user.id, decodeCursor(q.before), PAGE_SIZE)
    const page = pageOf(rows, PAGE_SIZE, (r) => ({ at: r.updated_at, id: r.id }))
    const posts = page.items.map((r) => {
      const p = { status: r.status, authorId: user.id, editStatus: r.edit_status }
      return {
        id: r.id, title: r.title, url: postPath(r.slug), status: r.status, editStatus: r.edit_status, updatedAt: r.updated_at,
        scheduledAt: r.scheduled_at, reviewNote: r.review_note,
        can: {
          edit: allowed(p, 'edit', user, req.settings), submit: allowed(p, 'submit', user, req.settings),
          retract: allowed(p, 'retract', user, req.settings), delete: allowed(p, 'delete', user, req.settings),
          discard: r.edit_status !== null && r.edit_status !== 'submitted',
        },
      }
    })
    return reply.viewAsync('posts/mine', {
      title: req.t('posts.mine.title'), posts, next: page.next, later: !!q.before,
      notice: q.notice && NOTICES.includes(q.notice) ? q.notice : undefined,
    })
  })

  app.post('/posts/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const { authorId } = await deletePost(app.db, req.user!, id, req.settings)
    req.log.info({ postId: id }, 'post deleted')
    // An editor deleting someone else's post goes back to the editorial desk.
    return reply.redirect(authorId === req.user!.id ? '/my/posts?notice=posts.deleted' : '/editorial?notice=posts.deleted', 303)
  })

  app.post('/posts/:id/discard-edit', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await discardPendingEdit(app.db, req.user!, id)
    return reply.redirect('/my/posts?notice=posts.editDiscarded', 303)
  })
}
