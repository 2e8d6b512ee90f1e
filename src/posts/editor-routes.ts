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
import { createPost, EditConflictError, loadVisiblePost, savePost, type SaveResult } from './service.js'
import { editorPage, previewOf, type EditorValues } from './editor-view.js'
import { baseRevisionOf, conflictView, EditorBody, toInput, valuesOf, type EditorBodyT } from './editor-form.js'
import { validatePostInput } from './post.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
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
    const base = baseRevisionOf(body)
    const input = toInput(values)
    const save = () => postId
      ? savePost(app.db, req.user!, postId, input, req.settings, undefined, undefined, { baseRevisionId: base })
      : createPost(app.db, req.user!, input)
    const page = await editorPage(app, req, postId, { values, baseRevision: base })
    if (action === 'preview') return previewAndSave(req, reply, postId, values, page, save)
    let saved: SaveResult | undefined
    let uploadId: number | undefined
    try {
      const ok = await submitForm(reply, 'posts/edit', values, page, async () => {
        if (action === 'upload') {
          // Nothing is stored while the form has mistakes: first the text and the image's texts, then the file.
          const errors: FieldErrors = validatePostInput(input).errors
          validateImageText({ alt: values.imageAlt, credit: values.imageCredit }, errors)
          if (Object.keys(errors).length) throw new InvalidError(errors)
          uploadId = await storeUpload(app.db, app.config.uploadsDir, req.user!, receivedFile(req), { alt: values.imageAlt, credit: values.imageCredit })
        }
        saved = await save()
      })
      if (!ok || !saved) return reply
    } catch (err) {
      if (err instanceof EditConflictError && postId) return conflictPage(req, reply, postId, values, err)
      throw err
    }
    req.log.info({ postId: saved.id, revisionId: saved.revisionId, mode: saved.mode, action }, 'post saved')
    if (action === 'submit') return reply.redirect(`/posts/${saved.id}/submit`, 303)
    if (uploadId) return reply.redirect(`/posts/${saved.id}/edit?uploaded=${uploadId}#images_section`, 303)
    return reply.redirect(`/posts/${saved.id}/edit?saved=${saved.mode === 'row' ? 'draft' : saved.mode}`, 303)
  }

  // The preview button saves a draft or a pending change first, so looking never loses text; a live
  // post is not changed by looking at it (and a text with mistakes is only shown).
  async function previewAndSave(
    req: FastifyRequest, reply: FastifyReply, postId: number | undefined, values: EditorValues,
    page: Awaited<ReturnType<typeof editorPage>>, save: () => Promise<SaveResult>,
  ) {
    const preview = await previewOf(app, req, toInput(values))
    if (page.autosave) {
      try {
        const saved = await save()
        return reply.viewAsync('posts/edit', { ...(await editorPage(app, req, saved.id, { values, notice: 'editor.preview.saved' })), preview })
      } catch (err) {
        if (err instanceof EditConflictError && postId) return conflictPage(req, reply, postId, values, err, preview)
        if (!(err instanceof InvalidError)) throw err
      }
    }
    return reply.viewAsync('posts/edit', { ...page, preview })
  }

  // Both versions on the page; the form now carries the latest version, so saving again is a choice.
  async function conflictPage(req: FastifyRequest, reply: FastifyReply, postId: number, values: EditorValues, err: EditConflictError, preview?: unknown) {
    req.log.info({ postId, latest: err.current.id }, 'save refused: based on an older version')
    const page = await editorPage(app, req, postId, { values })
    return reply.code(409).viewAsync('posts/edit', { ...page, preview, conflict: conflictView(err, values, postId) })
  }
}
