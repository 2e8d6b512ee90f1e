// The post editor: write a new post, edit one, preview it (server-side button and a live preview for
// JavaScript), and upload an image without losing what is typed (the form is multipart).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { submitForm } from '../web/forms.js'
import { ConflictError, InvalidError, type FieldErrors } from '../errors.js'
import { needsGuidelinesAcceptance } from '../guidelines/service.js'
import { acceptMultipart, receivedFile } from '../uploads/multipart.js'
import { storeUpload, validateImageText } from '../uploads/service.js'
import { createPost, loadVisiblePost, savePost, type SaveResult } from './service.js'
import { editorPage, previewOf, type EditorValues } from './editor-view.js'
import { validatePostInput, type PostInput } from './post.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
// Generous limits: the service checks the real ones and answers beside the field, keeping the input.
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const EditorBody = Type.Object({
  title: Text(2000), slug: Text(500), lead: Text(10_000), body: Text(1_000_000), tags: Text(5000),
  coverUploadId: Text(20), imageAlt: Text(2000), imageCredit: Text(2000),
  action: Type.Optional(Type.Union([Type.Literal('save'), Type.Literal('preview'), Type.Literal('submit'), Type.Literal('upload')])),
  _csrf: Text(200),
})
type EditorBodyT = Static<typeof EditorBody>
const PreviewBody = Type.Object({ title: Text(2000), lead: Text(10_000), body: Text(1_000_000), tags: Text(5000), coverUploadId: Text(20), _csrf: Text(200) })
const EditQuery = Type.Object({ saved: Text(10), uploaded: Type.Optional(Type.Integer({ minimum: 1 })), restored: Text(10) })

export async function postEditorRoutes(app: FastifyInstance) {
  // onRequest, not preHandler: an anonymous request is turned away before a multipart body is read.
  app.addHook('onRequest', requireLogin)
  await acceptMultipart(app)

  const guidelinesFirst = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await needsGuidelinesAcceptance(app.db, req.user!.id))) return false
    await reply.redirect(`/guidelines/accept?next=${encodeURIComponent('/posts/new')}`, 303)
    return true
  }

  app.get('/posts/new', async (req, reply) => {
    if (await guidelinesFirst(req, reply)) return reply
    return reply.viewAsync('posts/edit', await editorPage(app, req, undefined))
  })

  // No guidelines gate here: a draft publishes nothing, and what was typed is never thrown away (the
  // guidelines may have changed while it was written). Sending it for review asks again.
  app.post('/posts/new', { schema: { body: EditorBody } }, async (req, reply) => {
    return handleEditor(req, reply, undefined)
  })

  app.get('/posts/:id/edit', { schema: { params: IdParams, querystring: EditQuery } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const q = req.query as Static<typeof EditQuery>
    const notice = q.restored ? 'posts.restored' : q.saved ? `posts.saved.${q.saved === 'live' ? 'live' : q.saved === 'pending' ? 'pending' : 'draft'}` : undefined
    try {
      return reply.viewAsync('posts/edit', await editorPage(app, req, id, { notice, uploadedId: q.uploaded }))
    } catch (err) {
      // Submitted or rejected: nothing to edit now; say why, and what can be done instead.
      if (!(err instanceof ConflictError) || !err.messageKey) throw err
      const post = await loadVisiblePost(app.db, id, req.user)
      return reply.code(409).viewAsync('posts/locked', { title: post.title, post: { id, status: post.status, editStatus: post.edit_status, isAuthor: post.author_id === req.user!.id }, reason: err.messageKey })
    }
  })

  app.post('/posts/:id/edit', { schema: { params: IdParams, body: EditorBody } }, async (req, reply) => {
    return handleEditor(req, reply, (req.params as Static<typeof IdParams>).id)
  })

  // The live preview (JavaScript): the same rendering as the preview button, without the page.
  app.post('/posts/preview', { schema: { body: PreviewBody } }, async (req, reply) => {
    const body = req.body as Static<typeof PreviewBody>
    const preview = await previewOf(app, req, toInput(valuesOf(body)))
    return reply.type('text/html; charset=utf-8').viewAsync('posts/preview', { preview })
  })

  async function handleEditor(req: FastifyRequest, reply: FastifyReply, postId: number | undefined) {
    const body = req.body as EditorBodyT
    const values = valuesOf(body)
    const action = body.action ?? 'save'
    const page = await editorPage(app, req, postId, { values })
    if (action === 'preview') {
      return reply.viewAsync('posts/edit', { ...page, preview: await previewOf(app, req, toInput(values)) })
    }
    let saved: SaveResult | undefined
    let uploadId: number | undefined
    const input = toInput(values)
    await app.embeds.warm(input.body) // outside the saving transaction; the save reads what it found
    const ok = await submitForm(reply, 'posts/edit', values, page, async () => {
      if (action === 'upload') {
        // Nothing is stored while the form has mistakes: first the text and the image's texts, then the file.
        const errors: FieldErrors = validatePostInput(input).errors
        validateImageText({ alt: values.imageAlt, credit: values.imageCredit }, errors)
        if (Object.keys(errors).length) throw new InvalidError(errors)
        uploadId = await storeUpload(app.db, app.config.uploadsDir, req.user!, receivedFile(req), { alt: values.imageAlt, credit: values.imageCredit })
      }
      saved = postId ? await savePost(app.db, req.user!, postId, input, req.settings) : await createPost(app.db, req.user!, input)
    })
    if (!ok || !saved) return reply
    req.log.info({ postId: saved.id, revisionId: saved.revisionId, mode: saved.mode, action }, 'post saved')
    if (action === 'submit') return reply.redirect(`/posts/${saved.id}/submit`, 303)
    if (uploadId) return reply.redirect(`/posts/${saved.id}/edit?uploaded=${uploadId}#images_section`, 303)
    return reply.redirect(`/posts/${saved.id}/edit?saved=${saved.mode === 'row' ? 'draft' : saved.mode}`, 303)
  }
}

function valuesOf(body: Partial<EditorBodyT>): EditorValues {
  return {
    title: body.title ?? '', slug: body.slug ?? '', lead: body.lead ?? '', body: body.body ?? '', tags: body.tags ?? '',
    coverUploadId: body.coverUploadId ?? '', imageAlt: body.imageAlt ?? '', imageCredit: body.imageCredit ?? '',
  }
}

function toInput(v: EditorValues): PostInput {
  const cover = /^\d{1,12}$/.test(v.coverUploadId) ? Number(v.coverUploadId) : null
  return { title: v.title, slug: v.slug, lead: v.lead, body: v.body, tags: v.tags, coverUploadId: cover }
}
