// A post's history, for its author and the editors: every saved revision (who, when), a diff between
// any two, a view of one with "restore", and the audit trail of its editorial events.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { requireLogin } from '../web/guards.js'
import { diffContents } from '../editorial/diff.js'
import { actionLabel, stateLabel } from '../editorial/labels.js'
import { listPostEvents } from '../editorial/queries.js'
import { editMode } from '../editorial/state-machine.js'
import { findPostById, findRevision, listRevisions, revisionNumber, type PostRow } from './queries.js'
import { editorialOf, restoreRevision } from './service.js'
import { canViewHistory, lastVisibleRevision } from './visibility.js'
import { revisionContent } from './working.js'
import { postPath, splitTags } from './post.js'
import { tagLinks } from './view.js'
import { findUploadAlts } from '../uploads/queries.js'

const PAGE_SIZE = 50
const EVENTS_SHOWN = 200
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const RevParams = Type.Object({ id: Type.Integer({ minimum: 1 }), rev: Type.Integer({ minimum: 1 }) })
const HistoryQuery = Type.Object({ before: Type.Optional(Type.Integer({ minimum: 1 })) })
const DiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) })

export async function postHistoryRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireLogin)

  async function postFor(req: FastifyRequest, id: number) {
    const post = await findPostById(app.db, id)
    if (!post || !canViewHistory(post, req.user)) throw new NotFoundError('post')
    return post
  }

  async function revisionFor(req: FastifyRequest, post: PostRow, rev: number) {
    const last = lastVisibleRevision(post, req.user)
    const row = last === undefined || rev <= last ? await findRevision(app.db, post.id, rev) : undefined
    if (!row) throw new NotFoundError('revision')
    return row
  }

  app.get('/posts/:id/history', { schema: { params: IdParams, querystring: HistoryQuery } }, async (req, reply) => {
    const post = await postFor(req, (req.params as Static<typeof IdParams>).id)
    const { before } = req.query as Static<typeof HistoryQuery>
    const last = lastVisibleRevision(post, req.user)
    const rows = await listRevisions(app.db, post.id, last === undefined ? before : Math.min(before ?? Infinity, last + 1), PAGE_SIZE)
    const more = rows.length > PAGE_SIZE
    // Shown by their number within the post (the ids count every post's revisions); a page is a run.
    const newest = rows[0] ? await revisionNumber(app.db, post.id, rows[0].id) : 0
    const revisions = await Promise.all(rows.slice(0, PAGE_SIZE).map(async (r, i) => ({
      id: r.id, number: newest - i, title: r.title, savedBy: r.saved_by ?? '', createdAt: r.created_at, hash: r.content_hash,
      restoredFrom: r.restored_from ? await revisionNumber(app.db, post.id, r.restored_from) : null,
      live: r.id === post.published_revision_id && post.status === 'published', pending: r.id === post.edit_revision_id,
    })))
    const fmt = reply.locals.fmt
    const events = (await listPostEvents(app.db, post.id, EVENTS_SHOWN)).map((e) => ({
      at: e.at, actor: e.actor_name, action: actionLabel(req.t, e.action), from: stateLabel(req.t, fmt, e.from_state),
      to: stateLabel(req.t, fmt, e.to_state), note: e.note, hash: e.content_hash,
    }))
    return reply.viewAsync('posts/history', {
      title: req.t('posts.history.title', { title: post.title }), post: { id: post.id, title: post.title, url: postPath(post.slug) },
      revisions, events, nextBefore: more ? revisions[revisions.length - 1]?.id : undefined, later: before !== undefined,
    })
  })

  app.get('/posts/:id/diff', { schema: { params: IdParams, querystring: DiffQuery } }, async (req, reply) => {
    const post = await postFor(req, (req.params as Static<typeof IdParams>).id)
    const q = req.query as Static<typeof DiffQuery>
    const [a, b] = await Promise.all([revisionFor(req, post, Math.min(q.from, q.to)), revisionFor(req, post, Math.max(q.from, q.to))])
    return reply.viewAsync('posts/diff', {
      title: req.t('posts.diff.title', { title: post.title }), post: { id: post.id, title: post.title },
      from: { id: a.id, number: await revisionNumber(app.db, post.id, a.id), createdAt: a.created_at, savedBy: a.saved_by ?? '' },
      to: { id: b.id, number: await revisionNumber(app.db, post.id, b.id), createdAt: b.created_at, savedBy: b.saved_by ?? '' },
      fields: diffContents(revisionContent(a), revisionContent(b), await findUploadAlts(app.db, [a.cover_upload_id, b.cover_upload_id])),
    })
  })

  app.get('/posts/:id/revisions/:rev', { schema: { params: RevParams } }, async (req, reply) => {
    const params = req.params as Static<typeof RevParams>
    const post = await postFor(req, params.id)
    const rev = await revisionFor(req, post, params.rev)
    let canRestore = true
    try {
      editMode(editorialOf(post), req.user, req.settings)
    } catch {
      canRestore = false
    }
    const number = await revisionNumber(app.db, post.id, rev.id)
    return reply.viewAsync('posts/revision', {
      title: req.t('posts.revision.title', { id: number }), post: { id: post.id, title: post.title },
      revision: { id: rev.id, number, createdAt: rev.created_at, savedBy: rev.saved_by ?? '', hash: rev.content_hash },
      article: { title: rev.title, lead: rev.lead, html: rev.body_html, tags: tagLinks(splitTags(rev.tags)), level: 2 },
      canRestore,
    })
  })

  app.post('/posts/:id/revisions/:rev/restore', { schema: { params: RevParams } }, async (req, reply) => {
    const params = req.params as Static<typeof RevParams>
    const saved = await restoreRevision(app.db, req.user!, params.id, params.rev, req.settings)
    req.log.info({ postId: params.id, restored: params.rev, revisionId: saved.revisionId }, 'revision restored')
    return reply.redirect(`/posts/${params.id}/edit?restored=1`, 303)
  })
}
