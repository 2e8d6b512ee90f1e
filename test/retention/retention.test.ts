import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { loggedIn } from '../helpers/client.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { postComment } from '../../src/comments/service.js'
import { postUpdate } from '../../src/micro/service.js'
import { planDisposal, runDisposal } from '../../src/retention/service.js'
import { verifyAuditChain } from '../../src/audit/chain.js'

test('rules are set by administrators; the dry run lists exactly what the real run disposes of, each in the audit trail', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const admin = await makeUser(app, { role: 'admin' })
  const old = new Date('2020-01-10T10:00:00Z')
  const oldPost = await publishedPost(app, author, editor, { title: 'Gammelt innlegg' }, old)
  const oldUpdate = await postUpdate(app.db, asCurrent(author), { body: 'Gammel oppdatering' }, old)
  const newUpdate = await postUpdate(app.db, asCurrent(author), { body: 'Ny oppdatering' })
  const oldComment = await postComment(app.db, asCurrent(author), { postId: oldPost, body: 'Gammel kommentar' }, new Date('2020-02-01T10:00:00Z'))

  const c = await loggedIn(app, admin)
  const empty = await c.get('/admin/retention')
  assert.match(empty.body, /Ingenting er gammelt nok/)
  const bad = await c.post('/admin/retention', { updatesYears: 'tre', updatesAction: 'anonymise', commentsYears: '', postsYears: '' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_updatesYears-error">Skriv et helt tall/)
  assert.match(bad.body, /id="f_updatesAction-error">Bare kommentarer kan anonymiseres/)
  const saved = await c.post('/admin/retention', { updatesYears: '3', updatesAction: 'delete', commentsYears: '5', commentsAction: 'anonymise', postsYears: '' }, { from: '/admin/retention' })
  assert.equal(saved.statusCode, 303)

  const now = new Date('2026-06-01T00:00:00Z')
  const dry = await planDisposal(app.db, now)
  assert.deepEqual(dry.map((d) => [d.type, d.id, d.action]), [['comments', oldComment.id, 'anonymise'], ['updates', oldUpdate, 'delete']])
  const page = await c.get('/admin/retention')
  assert.match(page.body, /Prøvekjøring/)
  assert.match(page.body, /Anonymiseres/)

  const real = await runDisposal(app.db, now)
  assert.deepEqual(real, dry)
  const upd = await app.db.selectFrom('micro_posts').selectAll().where('id', '=', oldUpdate).executeTakeFirstOrThrow()
  assert.ok(upd.deleted_at && upd.body === '')
  assert.equal((await app.db.selectFrom('micro_posts').select('body').where('id', '=', newUpdate).executeTakeFirstOrThrow()).body, 'Ny oppdatering')
  const com = await app.db.selectFrom('comments').selectAll().where('id', '=', oldComment.id).executeTakeFirstOrThrow()
  assert.equal(com.author_id, null)
  assert.equal(com.body_md, 'Gammel kommentar')
  const entries = await app.db.selectFrom('audit_events').selectAll().where('action', 'like', 'retention.%').orderBy('id').execute()
  assert.deepEqual(entries.map((e) => [e.action, e.subject_type, e.subject_id]), [['retention.rules', 'retention', 0], ['retention.anonymise', 'comment', oldComment.id], ['retention.delete', 'micro', oldUpdate]])
  assert.equal(entries[2]!.content_hash, createHash('sha256').update(JSON.stringify(['Gammel oppdatering'])).digest('hex'))
  assert.equal(entries[2]!.note, 'updates after 3 years: delete')
  assert.equal((await verifyAuditChain(app.db)).ok, true)
  assert.deepEqual(await planDisposal(app.db, now), [])

  const editorClient = await loggedIn(app, editor)
  assert.equal((await editorClient.get('/admin/retention')).statusCode, 403)
})
