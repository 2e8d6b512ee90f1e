// Autosave (JavaScript): the editor sends its fields after a few seconds of quiet and when the page is
// hidden, and gets JSON back. Only drafts and pending changes: a timer never publishes a live post. Each
// save carries the version it was based on; a save over a version this page never saw is refused with
// both versions (409), as the form does. A new post becomes a draft on its first save.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireLogin } from '../web/guards.js'
import { ConflictError, InvalidError } from '../errors.js'
import { editMode } from '../editorial/state-machine.js'
import { createPost, editorialOf, EditConflictError, loadVisiblePost, savePost } from './service.js'
import { baseRevisionOf, conflictView, EditorBody, toInput, valuesOf, type EditorBodyT } from './editor-form.js'
import type { MessageKey } from '../web/i18n/index.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

export async function postAutosaveRoutes(app: FastifyInstance) {
  app.addHook('onRequest', requireLogin)

  app.post('/posts/new/autosave', { schema: { body: EditorBody } }, async (req, reply) => autosave(req, reply, undefined))

  app.post('/posts/:id/autosave', { schema: { params: IdParams, body: EditorBody } }, async (req, reply) => {
    return autosave(req, reply, (req.params as Static<typeof IdParams>).id)
  })

  async function autosave(req: FastifyRequest, reply: FastifyReply, postId: number | undefined) {
    const body = req.body as EditorBodyT
    const values = valuesOf(body)
    try {
      if (postId) {
        const post = await loadVisiblePost(app.db, postId, req.user)
        if (editMode(editorialOf(post), req.user!, req.settings) === 'live') throw new ConflictError('live edits are saved by hand', 'editor.autosave.live')
      }
      const saved = postId
        ? await savePost(app.db, req.user!, postId, toInput(values), req.settings, undefined, undefined, { baseRevisionId: baseRevisionOf(body), skipUnchanged: true })
        : await createPost(app.db, req.user!, toInput(values))
      const at = new Date().toISOString()
      req.log.info({ postId: saved.id, revisionId: saved.revisionId, mode: saved.mode }, 'post autosaved')
      return reply.send({
        id: saved.id, revisionId: saved.revisionId, savedAt: at, status: req.t('editor.savedAt', { time: reply.locals.fmt.time(at) }),
        editUrl: `/posts/${saved.id}/edit`, autosaveUrl: `/posts/${saved.id}/autosave`,
      })
    } catch (err) {
      if (err instanceof EditConflictError && postId) {
        const html = await reply.viewAsync('posts/conflict', { conflict: conflictView(err, values, postId), inForm: false })
        return reply.code(409).type('application/json').send({ conflict: true, revisionId: err.current.id, message: req.t('editor.conflict.title'), html })
      }
      if (err instanceof InvalidError) {
        const errors = Object.fromEntries(Object.entries(err.fields).map(([field, key]) => [field, req.t(key)]))
        return reply.code(422).send({ errors, message: req.t('editor.autosave.invalid', { reason: Object.values(errors)[0] ?? '' }) })
      }
      if (err instanceof ConflictError) {
        return reply.code(409).send({ message: req.t((err.messageKey ?? 'editor.autosave.locked') as MessageKey) })
      }
      throw err
    }
  }
}
