// Insider attacks on shared page bodies (src/web/shared-page.ts): one person's things must never
// reach another through a body shared by people of the same kind, and a change must show at once.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost, postRow } from '../posts/helpers.js'

const noMarker = (page: string) => assert.doesNotMatch(page, /bbslot-[0-9a-f]{18}-|bbbody-/, 'every marker filled in')

test('hidden comments, editor tools, roles, names, language and HEAD through shared bodies', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { displayName: 'Anne Forfatter' })
  const editorUser = await makeUser(app, { role: 'editor', displayName: 'Eli Redaktør' })
  const kariUser = await makeUser(app, { displayName: 'Kari Nordmann' })
  const olaUser = await makeUser(app, { displayName: 'Ola Nordmann' })
  const perUser = await makeUser(app, { displayName: 'Per Hansen' })
  // A title that looks like a marker stays text: the nonce is not guessable.
  const postId = await publishedPost(app, author, editorUser, { title: 'Tittel bbslot-0123456789abcdef-csrf- slutt' })
  const { slug } = await postRow(app, postId)
  const url = `/posts/${slug}`
  const [kari, ola, per, ed] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, olaUser), loggedIn(app, perUser), loggedIn(app, editorUser)])

  assert.equal((await kari.post('/comments', { postId: String(postId), body: 'Karis skjulte ord' }, { from: url })).statusCode, 303)
  const comment = await app.db.selectFrom('comments').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow()
  await app.db.updateTable('comments').set({ hidden_at: new Date().toISOString(), hidden_by: editorUser.id, hidden_reason: 'Skjult-grunn-XYZ' })
    .where('id', '=', comment.id).execute()

  // Editors first (their body made), then readers, twice each so bodies are shared.
  for (const c of [ed, ed, ola, per, ola, per]) noMarker((await c.get(url)).body)
  const e = (await ed.get(url)).body
  assert.match(e, /Karis skjulte ord/, 'editors see the hidden comment')
  assert.match(e, /post-manage/)
  for (const c of [ola, per]) {
    const p = (await c.get(url)).body
    noMarker(p)
    assert.doesNotMatch(p, /Karis skjulte ord|Skjult-grunn-XYZ/, 'no hidden comment or reason for other readers')
    assert.doesNotMatch(p, /post-manage|moderation\/comment/, 'no editor tools for a reader')
    assert.match(p, /Tittel bbslot-0123456789abcdef-csrf- slutt/, 'a forged marker is left as text')
  }
  const k = (await kari.get(url)).body
  noMarker(k)
  assert.match(k, /Karis skjulte ord/, 'the author sees her own hidden comment')
  assert.match(k, /Skjult-grunn-XYZ/, '… and the editors\' reason')

  // An editor demoted: their next page is a reader's.
  await app.db.updateTable('users').set({ is_editor: 0 }).where('id', '=', editorUser.id).execute()
  const demoted = (await ed.get(url)).body
  assert.doesNotMatch(demoted, /post-manage|Karis skjulte ord/, 'a demoted editor loses the tools at once')

  // Someone's new display name shows for everyone on their next page.
  await app.db.updateTable('users').set({ display_name: 'Anne Nytt-Navn' }).where('id', '=', author.id).execute()
  for (const c of [ola, per]) assert.match((await c.get(url)).body, /Anne Nytt-Navn/)

  // Language: the body comes in each reader's own language.
  await app.db.updateTable('users').set({ language: 'en' }).where('id', '=', olaUser.id).execute()
  for (let i = 0; i < 2; i++) {
    const en = (await ola.get(url)).body
    const nb = (await per.get(url)).body
    assert.match(en, /<html lang="en"/)
    assert.match(en, /id="comments_heading">Comments /)
    assert.match(nb, /id="comments_heading">Kommentarer /)
    assert.doesNotMatch(en, /Kommentarer/)
  }

  // HEAD, then GET: nothing of the first person's.
  for (const u of ['/', url]) {
    const h = await app.inject({ method: 'HEAD', url: u, headers: { cookie: [...ola.cookies].map(([a, b]) => `${a}=${encodeURIComponent(b)}`).join('; ') } })
    assert.equal(h.statusCode, 200)
    const p = (await per.get(u)).body
    noMarker(p)
    assert.doesNotMatch(p, /Ola Nordmann/)
  }
})

test('a draft, and a post withdrawn, are never shared with a reader', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editorUser = await makeUser(app, { role: 'editor' })
  const reader = await makeUser(app)
  const postId = await publishedPost(app, author, editorUser, { title: 'Snart trukket' })
  const { slug } = await postRow(app, postId)
  const [a, r] = await Promise.all([loggedIn(app, author), loggedIn(app, reader)])
  for (const c of [a, r, a, r]) assert.equal((await c.get(`/posts/${slug}`)).statusCode, 200)
  await app.db.updateTable('posts').set({ status: 'withdrawn' }).where('id', '=', postId).execute()
  assert.equal((await r.get(`/posts/${slug}`)).statusCode, 404, 'withdrawn: gone for readers')
  const own = await a.get(`/posts/${slug}`)
  assert.equal(own.statusCode, 200)
  noMarker(own.body)
})

test('query parameters a page does not read make no new shared body', async (t) => {
  const app = await buildTestApp(t)
  const editorUser = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app)
  await publishedPost(app, author, editorUser, { title: 'Et innlegg' })
  const reader = await loggedIn(app, await makeUser(app))
  const first = await reader.get('/')
  for (let i = 0; i < 40; i++) {
    const res = await reader.get(`/?x=${i}${'y'.repeat(2000)}`)
    assert.equal(res.statusCode, 200)
    noMarker(res.body)
  }
  assert.equal(app.sharedBodies.size, 1, 'one body for the front page, whatever junk is added')
  assert.equal(app.sharedAskedFor.size, 1)
  assert.equal((await reader.get('/')).statusCode, first.statusCode)
})
