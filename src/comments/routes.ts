import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { NotFoundError } from '../errors.js'
import { guidelinesToAccept, requireGuidelinesConsent } from '../guidelines/service.js'
import { submitPosting } from '../moderation/form.js'
import { COMMENT_MAX_CHARS, deleteComment, editableComment, editComment, postComment, setCommentsOpen } from './service.js'
import { findComment, findPostForComments } from './queries.js'
import { commentPage, toCommentView } from './view.js'
import { doneAfterPost } from '../web/in-place.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const PostParams = Type.Object({ postId: Type.Integer({ minimum: 1 }) })
const NewQuery = Type.Object({ post: Type.Integer({ minimum: 1 }), parent: Type.Optional(Type.Integer({ minimum: 1 })) })
const AfterQuery = Type.Object({ after: Type.Optional(Type.Integer({ minimum: 0 })) })
// Generous limits: a too-long text comes back as a form error, not as a 400 page.
const CommentBody = Type.Object({
  postId: Type.Integer({ minimum: 1 }),
  parentId: Type.Optional(Type.String({ maxLength: 20 })), // empty for a top-level comment
  body: Type.String({ maxLength: 100_000 }),
  acceptGuidelines: Type.Optional(Type.String({ maxLength: 20 })),
  _csrf: Type.Optional(Type.String()),
})
const EditBody = Type.Object({ body: Type.String({ maxLength: 100_000 }), _csrf: Type.Optional(Type.String()) })
const PAGE = 100

const postPath = (slug: string) => `/posts/${encodeURIComponent(slug)}`

// Comments on blog posts: writing, replying, editing, deleting, closing; a post's further comment pages
// (readable by whoever may read the post).
export async function commentRoutes(app: FastifyInstance) {
  const login = { preHandler: requireLogin }

  // The page around a comment form: a new comment or reply, shown again when the text needs fixing.
  async function formPage(req: FastifyRequest, postId: number, parentId?: number) {
    const post = await findPostForComments(app.db, postId)
    if (!post || post.status !== 'published') throw new NotFoundError('post')
    const parentRow = parentId ? await findComment(app.db, parentId) : undefined
    return {
      title: req.t(parentRow ? 'comment.replyTitle' : 'comment.newTitle'), post, action: '/comments', maxChars: COMMENT_MAX_CHARS,
      parent: parentRow && parentRow.post_id === post.id ? toCommentView(parentRow, req.user, new Date(), false) : undefined,
      hidden: { postId: post.id, parentId: parentRow?.id ?? '' },
      needsGuidelines: await guidelinesToAccept(app.db, req.user!.id),
    }
  }

  app.get('/comments/new', { ...login, schema: { querystring: NewQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof NewQuery>
    return reply.viewAsync('comments/form', { ...(await formPage(req, q.post, q.parent)), form: { values: { body: '' }, errors: {} } })
  })

  app.post('/comments', { ...login, schema: { body: CommentBody } }, async (req, reply) => {
    const body = req.body as Static<typeof CommentBody>
    // Empty: a top-level comment. Anything else must name a comment (never silently top-level).
    if (body.parentId && !/^[1-9]\d{0,15}$/.test(body.parentId)) throw new NotFoundError('comment')
    const parentId = body.parentId ? Number(body.parentId) : undefined
    const post = await findPostForComments(app.db, body.postId)
    if (!post || post.status !== 'published') throw new NotFoundError('post')
    let created = { id: 0, slug: '' }
    const ok = await submitPosting(reply, 'comments/form', { body: body.body }, () => formPage(req, body.postId, parentId), async () => {
      await requireGuidelinesConsent(app.db, req.user!, body.acceptGuidelines)
      created = await postComment(app.db, req.user!, { postId: body.postId, parentId, body: body.body })
    })
    if (!ok) return reply
    req.log.info({ commentId: created.id, postId: body.postId }, 'comment posted')
    return doneAfterPost(req, reply, { location: `${postPath(created.slug)}#comment_${created.id}`, message: req.t('comment.posted') })
  })

  async function editPage(req: FastifyRequest, id: number) {
    const c = await editableComment(app.db, req.user!, id)
    const post = (await findPostForComments(app.db, c.post_id))!
    return { title: req.t('comment.editTitle'), post, action: `/comments/${id}/edit`, maxChars: COMMENT_MAX_CHARS, editing: true, comment: c }
  }

  app.get('/comments/:id/edit', { ...login, schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const page = await editPage(req, id)
    return reply.viewAsync('comments/form', { ...page, form: { values: { body: page.comment.body_md }, errors: {} } })
  })

  app.post('/comments/:id/edit', { ...login, schema: { params: IdParams, body: EditBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const { body } = req.body as Static<typeof EditBody>
    let postId = 0
    const ok = await submitPosting(reply, 'comments/form', { body }, () => editPage(req, id), async () => {
      postId = (await editComment(app.db, req.user!, id, body)).post_id
    })
    if (!ok) return reply
    req.log.info({ commentId: id }, 'comment edited')
    const post = (await findPostForComments(app.db, postId))!
    return reply.redirect(`${postPath(post.slug)}#comment_${id}`, 303)
  })

  app.post('/comments/:id/delete', { ...login, schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const c = await deleteComment(app.db, req.user!, id)
    req.log.info({ commentId: id }, 'comment deleted')
    const post = (await findPostForComments(app.db, c.post_id))!
    return doneAfterPost(req, reply, { location: `${postPath(post.slug)}#comments_heading`, refresh: `${postPath(post.slug)}#comment_${id}`, message: req.t('comment.deletedDone') })
  })

  for (const [action, open] of [['open', true], ['close', false]] as const) {
    app.post(`/comments/posts/:postId/${action}`, { ...login, schema: { params: PostParams } }, async (req, reply) => {
      const { postId } = req.params as Static<typeof PostParams>
      const slug = await setCommentsOpen(app.db, req.user!, postId, open)
      req.log.info({ postId, open }, 'comments opened or closed')
      return reply.redirect(`${postPath(slug)}#comments_heading`, 303)
    })
  }

  // Comments beyond the first page of a post page.
  app.get('/comments/posts/:postId', { schema: { params: PostParams, querystring: AfterQuery } }, async (req, reply) => {
    const { postId } = req.params as Static<typeof PostParams>
    const { after } = req.query as Static<typeof AfterQuery>
    const post = await findPostForComments(app.db, postId)
    if (!post || post.status !== 'published') throw new NotFoundError('post')
    const page = await commentPage(app.db, post.id, req.user, PAGE, { after })
    return reply.viewAsync('comments/page', {
      title: req.t('comment.pageTitle', { title: post.title }), post, items: page.items, moreAfter: page.moreAfter, after,
      canComment: !post.comments_closed, maxChars: COMMENT_MAX_CHARS,
    })
  })
}
