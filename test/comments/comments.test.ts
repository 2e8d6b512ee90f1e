import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { commentCount, insertPost } from './helpers.js'
import { commentsView } from '../../src/comments/view.js'
import { postComment } from '../../src/comments/service.js'
import { translator } from '../../src/web/i18n/index.js'
import { formatter } from '../../src/web/i18n/format.js'
import { csrfField } from '../../src/web/csrf-field.js'
import { ownViews } from '../../src/web/shared-page.js'
import type { CurrentUser } from '../../src/users/user.js'

const comment = (app: FastifyInstance, id: number) => app.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const lastCommentId = async (app: FastifyInstance) =>
  (await app.db.selectFrom('comments').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id
const asCurrent = (u: { id: number; username: string }, isEditor = false): CurrentUser =>
  ({ id: u.id, username: u.username, displayName: u.username, email: null, isEditor, isAdmin: false, language: null, sessionId: 'x' })
const post = async (app: FastifyInstance, c: Client, postId: number, body: string, parentId?: number) => {
  await c.get('/micro') // any page with a CSRF token
  return c.post('/comments', { postId: String(postId), parentId: parentId ? String(parentId) : '', body })
}

/** The comment section as the post page renders it. */
async function renderSection(app: FastifyInstance, postId: number, viewer: CurrentUser | null) {
  const row = await app.db.selectFrom('posts').selectAll().where('id', '=', postId).executeTakeFirstOrThrow()
  const comments = await commentsView(app.db, row, viewer)
  return app.view('comments/section', { t: translator('nb'), fmt: formatter('nb'), csrf: () => 'token', csrfField, ownViews, user: viewer, comments })
}

test('employees comment on a published post in sanitized Markdown; the count follows', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'forfatter' })
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari' })
  const p = await insertPost(app, author.id, { title: 'Ny intranettside' })
  const c = await loggedIn(app, kari)
  const res = await post(app, c, p.id, '**Flott!** <script>alert(1)</script> [lenke](javascript:alert(1)) [ok](https://trondheim.kommune.no)')
  assert.equal(res.statusCode, 303)
  const id = await lastCommentId(app)
  assert.equal(res.headers.location, `/posts/${p.slug}#comment_${id}`)
  const row = await comment(app, id)
  assert.match(row.body_html, /<strong>Flott!<\/strong>/)
  assert.doesNotMatch(row.body_html, /<script|javascript:/)
  assert.match(row.body_html, /<a href="https:\/\/trondheim.kommune.no" rel="noopener noreferrer ugc">ok<\/a>/)
  assert.equal(await commentCount(app, p.id), 1)
  const [n] = await app.db.selectFrom('notifications').selectAll().where('user_id', '=', author.id).execute()
  assert.equal(n?.kind, 'post.comment')

  const html = await renderSection(app, p.id, asCurrent(kari))
  assert.match(html, /Kommentarer <span class="muted">\(1\)<\/span>/)
  assert.match(html, new RegExp(`id="comment_${id}"`))
  assert.match(html, /<strong>Flott!<\/strong>/)
  assert.match(html, /href="\/comments\/\d+\/edit"/, 'the author may still edit')
  assert.match(html, /id="comment_form"/)

  const anonymous = await renderSection(app, p.id, null)
  assert.match(anonymous.replace(/\s+/g, ' '), /Logg inn for å kommentere/)
  assert.doesNotMatch(anonymous, /id="comment_form"/)
})

test('bad comments come back on the comment page with the text kept', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const p = await insertPost(app, author.id, { title: 'Innlegget' })
  const c = await loggedIn(app, await makeUser(app))
  for (const [body, message] of [['   ', /Skriv noe først/], ['x'.repeat(2001), /høyst 2000 tegn/], ['\u001b\u0000 ', /Skriv noe først/]] as const) {
    // Control characters are removed from every form field alike (test/web/form-text.test.ts).
    const res = await post(app, c, p.id, body)
    assert.equal(res.statusCode, 422)
    assert.match(res.body, message)
    assert.match(res.body, /Tilbake til «Innlegget»/)
  }
  assert.equal(await commentCount(app, p.id), 0)
  const draft = await insertPost(app, author.id, { status: 'draft' })
  assert.equal((await post(app, c, draft.id, 'Hei')).statusCode, 404, 'only published posts take comments')
  assert.equal((await post(app, c, 99999, 'Hei')).statusCode, 404)
})

test('one level of replies; no reply to a deleted or hidden comment', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const editor = await makeUser(app, { role: 'editor' })
  const p = await insertPost(app, author.id)
  const k = await loggedIn(app, kari)
  const pe = await loggedIn(app, per)
  await post(app, k, p.id, 'Første')
  const top = await lastCommentId(app)
  assert.equal((await post(app, pe, p.id, 'Svar', top)).statusCode, 303)
  const reply = await lastCommentId(app)
  assert.equal((await comment(app, reply)).parent_id, top)
  await post(app, k, p.id, 'Svar på svar', reply)
  assert.equal((await comment(app, await lastCommentId(app))).parent_id, top, 'a reply to a reply joins the same level')
  assert.deepEqual(
    (await app.db.selectFrom('notifications').select(['user_id', 'kind']).where('kind', '=', 'comment.reply').execute()).map((n) => n.user_id),
    [kari.id, per.id], 'kari is told of per’s reply, and per of kari’s answer to it; nobody of their own',
  )
  assert.equal(await commentCount(app, p.id), 3)

  await post(app, pe, p.id, 'Blir skjult')
  const doomed = await lastCommentId(app)
  await (await loggedIn(app, editor)).post(`/moderation/comment/${doomed}/hide`, { reason: 'Usaklig' }, { from: `/moderation/comment/${doomed}/hide` })
  const toHidden = await post(app, k, p.id, 'Hallo', doomed)
  assert.equal(toHidden.statusCode, 409)
  await pe.post(`/comments/${reply}/delete`, {})
  assert.equal((await post(app, k, p.id, 'Hallo', top)).statusCode, 303, 'the top-level comment still takes replies')
  const hallo = await lastCommentId(app)
  await k.post(`/comments/${top}/delete`, {})
  assert.equal((await post(app, pe, p.id, 'Hallo igjen', top)).statusCode, 409)
  // A visible reply in a thread whose first comment was deleted can still be answered, in that thread.
  assert.equal((await post(app, pe, p.id, 'Svar til Hallo', hallo)).statusCode, 303)
  assert.equal((await comment(app, await lastCommentId(app))).parent_id, top)
  await pe.get('/micro')
  const garbage = await pe.post('/comments', { postId: String(p.id), parentId: 'abc', body: 'Hvor havner jeg?' })
  assert.equal(garbage.statusCode, 404, 'a parent that is not a number is not quietly made a top-level comment')
  // Visible: the second "Svar på svar", "Hallo" and its answer; gone: top (deleted), reply (deleted), doomed (hidden).
  assert.equal(await commentCount(app, p.id), 3)
})

test('authors edit within 15 minutes ("edited" shown) and only their own', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const p = await insertPost(app, author.id)
  const k = await loggedIn(app, kari)
  await post(app, k, p.id, 'Skrivefeill')
  const id = await lastCommentId(app)
  const form = await k.get(`/comments/${id}/edit`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, />Skrivefeill<\/textarea>/)
  const empty = await k.post(`/comments/${id}/edit`, { body: '' })
  assert.equal(empty.statusCode, 422)
  const res = await k.post(`/comments/${id}/edit`, { body: 'Skrivefeil' }, { from: `/comments/${id}/edit` })
  assert.equal(res.statusCode, 303)
  const row = await comment(app, id)
  assert.equal(row.body_md, 'Skrivefeil')
  assert.ok(row.edited_at)
  assert.match(await renderSection(app, p.id, null), /\(redigert\)/)

  for (const other of [per, editor]) {
    const o = await loggedIn(app, other)
    assert.equal((await o.get(`/comments/${id}/edit`)).statusCode, 403)
    assert.equal((await o.post(`/comments/${id}/edit`, { body: 'Kapret' })).statusCode, 403)
    assert.equal((await o.post(`/comments/${id}/delete`, {})).statusCode, 403)
  }
  await app.db.updateTable('comments').set({ created_at: new Date(Date.now() - 16 * 60_000).toISOString() }).where('id', '=', id).execute()
  const late = await k.post(`/comments/${id}/edit`, { body: 'For sent' }, { from: `/micro` })
  assert.equal(late.statusCode, 409)
  assert.match(late.body, /mer enn 15 minutter/)
  assert.equal((await comment(app, id)).body_md, 'Skrivefeil')
})

test('a deleted comment leaves a marker only while it has replies', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const kari = await makeUser(app)
  const per = await makeUser(app)
  const p = await insertPost(app, author.id)
  const first = await postComment(app.db, asCurrent(kari), { postId: p.id, body: 'Med svar' })
  await postComment(app.db, asCurrent(per), { postId: p.id, parentId: first.id, body: 'Et svar' })
  const lone = await postComment(app.db, asCurrent(kari), { postId: p.id, body: 'Uten svar' })
  const k = await loggedIn(app, kari)
  await k.get('/micro')
  assert.equal((await k.post(`/comments/${first.id}/delete`, {})).statusCode, 303)
  assert.equal((await k.post(`/comments/${lone.id}/delete`, {})).statusCode, 303)
  const html = await renderSection(app, p.id, null)
  assert.match(html, /Denne kommentaren er slettet/)
  assert.match(html, /Et svar/)
  assert.doesNotMatch(html, /Med svar|Uten svar/)
  assert.doesNotMatch(html, new RegExp(`comment_${lone.id}"`))
  assert.equal(await commentCount(app, p.id), 1)
})

test('the post’s author and editors close and reopen comments; others cannot', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const kari = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const p = await insertPost(app, author.id)
  const k = await loggedIn(app, kari)
  await k.get('/micro')
  assert.equal((await k.post(`/comments/posts/${p.id}/close`, {})).statusCode, 403)
  assert.doesNotMatch(await renderSection(app, p.id, asCurrent(kari)), /Steng kommentarene/)
  assert.match(await renderSection(app, p.id, asCurrent(author)), /Steng kommentarene/)

  const a = await loggedIn(app, author)
  await a.get('/micro')
  const res = await a.post(`/comments/posts/${p.id}/close`, {})
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/posts/${p.slug}#comments_heading`)
  const refused = await post(app, k, p.id, 'Sent ute')
  assert.equal(refused.statusCode, 409)
  assert.match(refused.body, /stengt/)
  const closedHtml = await renderSection(app, p.id, asCurrent(kari))
  assert.match(closedHtml, /Kommentarene til dette innlegget er stengt/)
  assert.doesNotMatch(closedHtml, /id="comment_form"/)

  const e = await loggedIn(app, editor)
  await e.get('/micro')
  assert.equal((await e.post(`/comments/posts/${p.id}/open`, {})).statusCode, 303)
  assert.equal((await post(app, k, p.id, 'Nå går det')).statusCode, 303)
  const audit = await app.db.selectFrom('audit_events').select(['action', 'actor_id']).where('subject_type', '=', 'post').orderBy('id').execute()
  assert.deepEqual(audit, [{ action: 'post.comments-close', actor_id: author.id }, { action: 'post.comments-open', actor_id: editor.id }])
})

test('comments beyond the first page have their own pages', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const p = await insertPost(app, author.id, { title: 'Populært' })
  const old = new Date(Date.now() - 3_600_000).toISOString()
  await app.db.insertInto('comments').values(Array.from({ length: 105 }, (_, i) => ({
    post_id: p.id, author_id: author.id, body_md: `K${i + 1}`, body_html: `<p>K${i + 1}.</p>`, created_at: old,
  }))).execute()
  const html = await renderSection(app, p.id, null)
  assert.match(html, /K100\./)
  assert.doesNotMatch(html, /K101\./)
  const more = /href="(\/comments\/posts\/\d+\?after=\d+)"/.exec(html)?.[1]
  assert.ok(more)
  const c = await loggedIn(app, author)
  const page = await c.get(more!)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Kommentarer til «Populært»/)
  assert.match(page.body, /K101\./)
  assert.match(page.body, /K105\./)
  assert.doesNotMatch(page.body, /K100\./)
})

test('a comment nested too deeply comes back with a message and its text', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const p = await insertPost(app, author.id)
  const c = await loggedIn(app, await makeUser(app))
  const res = await post(app, c, p.id, '>'.repeat(1900) + ' hei')
  assert.equal(res.statusCode, 422)
  assert.match(res.body, /for mange nivåer av sitater eller lister/)
  assert.ok(res.body.includes('&gt;&gt;&gt; hei</textarea>') || res.body.includes('>>> hei</textarea>'))
})

test('new guidelines while a comment is written: the text comes back with the box to tick, then it is posted', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const p = await insertPost(app, author.id)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/micro')
  const { id: version } = await app.db.insertInto('guideline_versions')
    .values({ body_md: 'Vær snill.', body_html: '<p>Vær snill.</p>', created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()
  const refused = await c.post('/comments', { postId: String(p.id), parentId: '', body: 'Lang og gjennomtenkt kommentar' })
  assert.equal(refused.statusCode, 422)
  assert.match(refused.body, />Lang og gjennomtenkt kommentar<\/textarea>/)
  assert.match(refused.body, new RegExp(`name="acceptGuidelines" value="${version}"[^>]*aria-invalid="true"`))
  const ok = await c.post('/comments', { postId: String(p.id), parentId: '', body: 'Lang og gjennomtenkt kommentar', acceptGuidelines: String(version) })
  assert.equal(ok.statusCode, 303)
  assert.equal(await commentCount(app, p.id), 1)
})
