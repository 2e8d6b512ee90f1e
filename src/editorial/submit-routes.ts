// The author's side of review: the submission page (pre-publish checks first; serious findings block
// until fixed or overridden with a reason), submitting, and taking a submission back.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { needsGuidelinesAcceptance } from '../guidelines/service.js'
import { checkContent } from '../posts/prepublish-checks.js'
import { editorialOf, loadVisiblePost } from '../posts/service.js'
import { postPath } from '../posts/post.js'
import { workingContent } from '../posts/working.js'
import { stateOf } from '../posts/editor-view.js'
import { tagLinks } from '../posts/view.js'
import { retractSubmission, submitForReview } from './service.js'
import { transition } from './state-machine.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const SubmitBody = Type.Object({ overrideReason: Type.Optional(Type.String({ maxLength: 5000 })), _csrf: Type.Optional(Type.String()) })

export async function submitRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  async function submitPage(req: FastifyRequest, id: number) {
    const post = await loadVisiblePost(app.db, id, req.user)
    transition(editorialOf(post), 'submit', req.user, req.settings) // 403/409 page when not possible now
    const content = await workingContent(app.db, post)
    const findings = checkContent(content.bodyHtml, content.bodyMd)
    return {
      title: req.t('editorial.submit.title', { title: content.title }),
      post: { id: post.id, url: postPath(post.slug) }, state: stateOf(post),
      findings, serious: findings.some((f) => f.severity === 'serious'), empty: !content.bodyMd.trim(),
      article: { title: content.title, lead: content.lead, html: content.bodyHtml, tags: tagLinks(content.tags), level: 2 },
      form: { values: { overrideReason: '' }, errors: {} },
    }
  }

  const guidelinesFirst = async (req: FastifyRequest, reply: FastifyReply, id: number) => {
    if (!(await needsGuidelinesAcceptance(app.db, req.user!.id))) return false
    await reply.redirect(`/guidelines/accept?next=${encodeURIComponent(`/posts/${id}/submit`)}`, 303)
    return true
  }

  app.get('/posts/:id/submit', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    if (await guidelinesFirst(req, reply, id)) return reply
    return reply.viewAsync('editorial/submit', await submitPage(req, id))
  })

  app.post('/posts/:id/submit', { schema: { params: IdParams, body: SubmitBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    if (await guidelinesFirst(req, reply, id)) return reply
    const values = { overrideReason: (req.body as Static<typeof SubmitBody>).overrideReason ?? '' }
    const ok = await submitForm(reply, 'editorial/submit', values, await submitPage(req, id), () =>
      submitForReview(app.db, req.user!, id, values, req.settings))
    if (!ok) return reply
    req.log.info({ postId: id, override: !!values.overrideReason.trim() }, 'post submitted for review')
    return reply.redirect('/my/posts?notice=editorial.submitted', 303)
  })

  app.post('/posts/:id/retract', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    await retractSubmission(app.db, req.user!, id, req.settings)
    req.log.info({ postId: id }, 'submission retracted')
    return reply.redirect('/my/posts?notice=editorial.retracted', 303)
  })
}
