// Likes, replies and deletions answered for the in-place script (Accept: application/json), for updates
// and comments; the plain form keeps its redirect. The browser side: test/browser/conversation-in-place.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser, type TestUser } from '../helpers/users.js'
import { insertPost } from '../comments/helpers.js'
import { postUpdate } from '../../src/micro/service.js'
import type { CurrentUser } from '../../src/users/user.js'

const as = (u: TestUser): CurrentUser => ({ id: u.id, username: u.username, displayName: u.username, email: null, isEditor: false, isAdmin: false, language: null, sessionId: 'x' })
const micro = (app: FastifyInstance, id: number) => app.db.selectFrom('micro_posts').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

async function scriptClient(app: FastifyInstance, user: TestUser, lang = 'nb') {
  const c = new Client(app, { accept: 'application/json', 'accept-language': lang })
  await c.login(user.username, user.password)
  return c
}

test('a like answers where to look and what to announce; the plain form still redirects', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const ola = await makeUser(app, { username: 'ola' })
  const id = await postUpdate(app.db, as(kari), { body: 'Fagdag på fredag' })

  const before = await (await loggedIn(app, ola)).get('/micro')
  assert.doesNotMatch(before.body, /liker dette/, 'no "0 liker dette" on an update nobody has liked')

  const j = await scriptClient(app, ola)
  const liked = await j.post(`/micro/${id}/like`, { next: '/micro' }, { from: '/micro' })
  assert.equal(liked.statusCode, 200)
  assert.deepEqual(liked.json(), { location: `/micro#micro_${id}`, refresh: `/micro#micro_${id}`, message: 'Du liker denne oppdateringen.' })
  assert.equal((await micro(app, id)).like_count, 1)
  const page = await j.get('/micro')
  assert.match(page.body, new RegExp(`<article class="micro micro-visible" id="micro_${id}">`))
  assert.match(page.body, /1 liker dette/)
  assert.match(page.body, /aria-pressed="true"/)
  assert.match(page.body, new RegExp(`data-in-place="micro_${id}"`))

  const en = await scriptClient(app, ola, 'en')
  const unliked = await en.post(`/micro/${id}/like`, { next: '/micro' }, { from: '/micro' })
  assert.equal(unliked.json().message, 'You no longer like this update.')
  assert.equal((await micro(app, id)).like_count, 0)

  // The CSRF check is the plain form's: without the token nothing changes.
  const forged = await j.post(`/micro/${id}/like`, { next: '/micro' }, { csrf: false })
  assert.equal(forged.statusCode, 403)
  assert.equal((await micro(app, id)).like_count, 0)

  const plain = await loggedIn(app, ola)
  const res = await plain.post(`/micro/${id}/like`, { next: '/micro' }, { from: '/micro' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/micro#micro_${id}`)
})

test('a reply refreshes the thread being read; a mistake comes back as the form page; a deletion too', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const root = await postUpdate(app.db, as(kari), { body: 'Hvem blir med?' })
  const j = await scriptClient(app, per, 'nn')

  const res = await j.post(`/micro/${root}/reply`, { body: 'Eg blir med!' }, { from: `/micro/${root}` })
  assert.equal(res.statusCode, 200)
  const reply = (await app.db.selectFrom('micro_posts').select('id').where('reply_to_id', '=', root).executeTakeFirstOrThrow()).id
  assert.deepEqual(res.json(), { location: `/micro/${reply}#micro_${reply}`, refresh: `/micro/${root}#micro_${reply}`, message: 'Svaret ditt er publisert.' })
  const thread = await j.get(`/micro/${root}`)
  assert.match(thread.body, /<ol class="micro-list micro-thread" id="thread_list">/)
  assert.match(thread.body, new RegExp(`id="micro_${reply}"`))
  assert.match(thread.body, /id="reply_form" data-in-place="thread_list"/)

  const empty = await j.post(`/micro/${root}/reply`, { body: '   ' }, { from: `/micro/${root}` })
  assert.equal(empty.statusCode, 422)
  assert.match(String(empty.headers['content-type']), /text\/html/)

  const gone = await j.post(`/micro/${reply}/delete`, { next: `/micro/${root}`, _confirm: 'yes' }, { from: `/micro/${root}` })
  assert.equal(gone.statusCode, 200)
  assert.deepEqual(gone.json(), { location: `/micro/${root}#micro_${reply}`, refresh: `/micro/${root}#micro_${reply}`, message: 'Oppdateringa er sletta.' })
  assert.ok((await micro(app, reply)).deleted_at)
  // Someone else's update cannot be deleted this way either.
  const notMine = await j.post(`/micro/${root}/delete`, { next: '/micro', _confirm: 'yes' }, { from: `/micro/${root}` })
  assert.equal(notMine.statusCode, 403)
  assert.equal((await micro(app, root)).deleted_at, null)
})

test('comments: posted and deleted in place, with a character counter on every comment field', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari' })
  const post = await insertPost(app, kari.id, { title: 'Samtale' })
  const j = await scriptClient(app, kari, 'en')

  const page = await j.get(`/posts/${post.slug}`)
  assert.match(page.body, /<section class="comments" aria-labelledby="comments_heading" id="comments_section">/)
  assert.match(page.body, /id="comment_form" data-in-place="comments_section"/)
  assert.match(page.body, /<textarea id="f_body"[^>]*aria-describedby="f_body-hint f_body-count"[^>]*data-count-max="2000"[^>]*data-count-left="\{n\} characters left"/)

  const res = await j.post('/comments', { postId: String(post.id), body: 'Bra skrevet' }, { from: `/posts/${post.slug}` })
  assert.equal(res.statusCode, 200)
  const id = (await app.db.selectFrom('comments').select('id').executeTakeFirstOrThrow()).id
  assert.deepEqual(res.json(), { location: `/posts/${post.slug}#comment_${id}`, refresh: `/posts/${post.slug}#comment_${id}`, message: 'Your comment has been published.' })
  const withReply = await j.get(`/posts/${post.slug}`)
  // A link to the reply page per comment, and the list's one reply form (app.js opens it under a comment).
  assert.match(withReply.body, new RegExp(`<a href="/comments/new\\?post=${post.id}&amp;parent=${id}" data-reply-to="${id}" data-reply-name="[^"]+">Reply</a>`))
  const form = /<template id="reply_form_template">([\s\S]*?)<\/template>/.exec(withReply.body)?.[1] ?? ''
  assert.match(form, /<form method="post" action="\/comments"[^>]*data-in-place="comments_section"/)
  assert.match(form, /<textarea name="body"[^>]*data-count-max="2000"[^>]*data-count-left="\{n\} characters left"/)
  assert.match(form, /data-id="reply_count">2000 characters left</)

  const gone = await j.post(`/comments/${id}/delete`, { _confirm: 'yes' }, { from: `/posts/${post.slug}` })
  assert.equal(gone.statusCode, 200)
  assert.deepEqual(gone.json(), { location: `/posts/${post.slug}#comments_heading`, refresh: `/posts/${post.slug}#comment_${id}`, message: 'The comment has been deleted.' })
  const plain = await loggedIn(app, kari)
  const again = await plain.post('/comments', { postId: String(post.id), body: 'Uten skript' }, { from: `/posts/${post.slug}` })
  assert.equal(again.statusCode, 303)
})
