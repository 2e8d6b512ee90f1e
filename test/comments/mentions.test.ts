import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn, type Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertPost } from './helpers.js'
import { MAX_MENTIONS_NOTIFIED, withoutCode } from '../../src/comments/mentions.js'

const mentions = (app: FastifyInstance) =>
  app.db.selectFrom('notifications').select(['user_id', 'subject_type', 'subject_id']).where('kind', '=', 'mention').orderBy('id').execute()
const lastCommentId = async (app: FastifyInstance) =>
  (await app.db.selectFrom('comments').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).id
async function comment(c: Client, postId: number, body: string, parentId?: number) {
  await c.get('/micro')
  const res = await c.post('/comments', { postId: String(postId), parentId: parentId ? String(parentId) : '', body })
  assert.equal(res.statusCode, 303)
}

test('withoutCode: fenced blocks and code spans name nobody', () => {
  assert.equal(withoutCode('Hei @kari\n```\n@per\n```\nog `@ola` her').trim(), 'Hei @kari\nog   her')
  assert.equal(withoutCode('~~~~ts\n@per\n~~~\n@per\n~~~~\n@kari'), '@kari', 'a block ends only at a fence as long as its own')
  assert.equal(withoutCode('```\n@per (never closed)'), '', 'an unclosed block runs to the end')
})

test('people named with @username in a comment are told, once, and only what is theirs to know', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { username: 'forfatter' })
  const kari = await makeUser(app, { username: 'kari' })
  const per = await makeUser(app, { username: 'per' })
  const ola = await makeUser(app, { username: 'ola.nordmann' })
  const p = await insertPost(app, author.id, { title: 'Ny kantine' })
  const k = await loggedIn(app, kari)

  // Per and Ola are named (Ola's name is followed by a full stop); the author is told of the comment
  // anyway, Kari names herself, "@nobody" has no account, and code is not a mention.
  await comment(k, p.id, 'Hva mener @per og @ola.nordmann. og @forfatter? (@kari, @nobody) `@admin`')
  const first = await lastCommentId(app)
  assert.deepEqual(await mentions(app), [
    { user_id: per.id, subject_type: 'comment', subject_id: first },
    { user_id: ola.id, subject_type: 'comment', subject_id: first },
  ])
  const perClient = await loggedIn(app, per)
  const page = await perClient.get('/notifications')
  assert.match(page.body, /nevnte deg i en kommentar til «Ny kantine»/)
  assert.match(page.body, new RegExp(`href="/posts/${p.slug}#comment_${first}"`))

  // The excerpt is the text as shown, not the Markdown typed.
  await comment(k, p.id, '**Viktig:** les [dette](https://example.org) @per')
  const latest = await app.db.selectFrom('notifications').select('data').where('user_id', '=', per.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  assert.equal(JSON.parse(latest.data).snippet, 'Viktig: les dette @per')

  // Per replies and names Kari, whom the reply notifies anyway: one notice (a reply), not two.
  await comment(perClient, p.id, 'Enig, @kari!', first)
  assert.equal((await mentions(app)).length, 3)
  assert.equal((await app.db.selectFrom('notifications').select('id').where('user_id', '=', kari.id).execute()).length, 1)

  // Editing: only someone newly named is told.
  await comment(k, p.id, 'Spør @per')
  const second = await lastCommentId(app)
  const extra = await makeUser(app, { username: 'guri' })
  await k.get(`/comments/${second}/edit`)
  assert.equal((await k.post(`/comments/${second}/edit`, { body: 'Spør @per og @guri' })).statusCode, 303)
  const told = (await mentions(app)).filter((m) => m.subject_id === second).map((m) => m.user_id)
  assert.deepEqual(told, [per.id, extra.id])
  // Naming someone away and back again tells them nothing new.
  for (const body of ['Spør ingen', 'Spør @per og @guri igjen']) {
    await k.get(`/comments/${second}/edit`)
    assert.equal((await k.post(`/comments/${second}/edit`, { body })).statusCode, 303)
  }
  assert.equal((await mentions(app)).filter((m) => m.subject_id === second).length, 2)

  // A post no longer published: an edit tells nobody about it.
  await app.db.updateTable('posts').set({ status: 'withdrawn' }).where('id', '=', p.id).execute()
  const third = second
  const olav = await makeUser(app, { username: 'olav' })
  await k.get(`/comments/${third}/edit`)
  await k.post(`/comments/${third}/edit`, { body: 'Og @olav' })
  assert.equal((await mentions(app)).filter((m) => m.user_id === olav.id).length, 0)
})

test('a comment naming many people tells only the first few', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const kari = await makeUser(app, { username: 'kari' })
  const names: string[] = []
  for (let i = 0; i < MAX_MENTIONS_NOTIFIED + 5; i++) names.push((await makeUser(app, { username: `ansatt${i}` })).username)
  const p = await insertPost(app, author.id)
  const k = await loggedIn(app, kari)
  await comment(k, p.id, names.map((n) => `@${n}`).join(' '))
  assert.equal((await mentions(app)).length, MAX_MENTIONS_NOTIFIED)
  // Edits naming others instead do not get round the limit: it holds for the comment.
  const id = await lastCommentId(app)
  await k.get(`/comments/${id}/edit`)
  assert.equal((await k.post(`/comments/${id}/edit`, { body: names.slice(MAX_MENTIONS_NOTIFIED).map((n) => `@${n}`).join(' ') })).statusCode, 303)
  assert.equal((await mentions(app)).length, MAX_MENTIONS_NOTIFIED)
})
