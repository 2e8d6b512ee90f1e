// Test data for posts, made through the real services (so every rule holds), and small form helpers.
import type { FastifyInstance } from 'fastify'
import type { CurrentUser } from '../../src/users/user.js'
import type { Client } from '../helpers/client.js'
import type { TestUser } from '../helpers/users.js'
import { createPost } from '../../src/posts/service.js'
import { decide, submitForReview } from '../../src/editorial/service.js'

export const RULES = { fourEyes: true }
/** Valid check digits: the pre-publish check calls this a fødselsnummer. */
export const FODSELSNUMMER = '01019010046'

export function asCurrent(u: TestUser, role: { isEditor?: boolean } = {}): CurrentUser {
  return { id: u.id, username: u.username, displayName: `Test ${u.username}`, email: null, isEditor: !!role.isEditor, isAdmin: false, language: null, sessionId: 'test' }
}

export interface PostFields { title?: string; body?: string; lead?: string; tags?: string; slug?: string; coverUploadId?: string }
export interface ServiceFields { title?: string; body?: string; lead?: string; tags?: string; cover?: number }

/** Writes a new post through the editor form; returns the response and the post id. */
export async function writePost(c: Client, fields: PostFields = {}, action = 'save') {
  const res = await c.post('/posts/new', { title: 'Et innlegg', body: 'Litt tekst.', tags: '', lead: '', ...fields, action }, { from: '/posts/new' })
  const id = Number(/\/posts\/(\d+)\//.exec(String(res.headers.location ?? ''))?.[1] ?? NaN)
  return { res, id }
}

/** A published post, straight through the services: written by `author`, published by `editor`. */
export async function publishedPost(app: FastifyInstance, author: TestUser, editor: TestUser, fields: ServiceFields = {}, now = new Date()) {
  const a = asCurrent(author)
  const { id } = await createPost(app.db, a, {
    title: fields.title ?? 'Publisert innlegg', body: fields.body ?? 'Tekst.', lead: fields.lead ?? '', tags: fields.tags ?? '', coverUploadId: fields.cover ?? null,
  }, now)
  await submitForReview(app.db, a, id, {}, RULES, now)
  await decide(app.db, asCurrent(editor, { isEditor: true }), id, 'publish', {}, RULES, now)
  return id
}

export async function postRow(app: FastifyInstance, id: number) {
  return app.db.selectFrom('posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

export async function auditOf(app: FastifyInstance, id: number) {
  return app.db.selectFrom('audit_events').selectAll().where('subject_type', '=', 'post').where('subject_id', '=', id).orderBy('id').execute()
}
