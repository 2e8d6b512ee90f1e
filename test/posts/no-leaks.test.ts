import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost } from './helpers.js'
import { createPost } from '../../src/posts/service.js'
import { publishGuidelines } from '../../src/guidelines/service.js'

test('an old slug redirects only while the post is published', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app)
  const id = await publishedPost(app, author, editor, { title: 'Nytt navn' })
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()
  await app.db.insertInto('post_slugs').values({ slug: 'gammelt-navn', post_id: id }).execute()
  const reader = await loggedIn(app, await makeUser(app))
  const moved = await reader.get('/posts/gammelt-navn')
  assert.equal(moved.statusCode, 301)
  assert.equal(moved.headers.location, `/posts/${slug}`)
  await app.db.updateTable('posts').set({ status: 'withdrawn' }).where('id', '=', id).execute()
  const gone = await reader.get('/posts/gammelt-navn')
  assert.equal(gone.statusCode, 404, 'a withdrawn post’s current slug is not revealed')
})

test('commenting on an unpublished post is a 404, before any redirect that names it', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const author = await makeUser(app)
  await publishGuidelines(app.db, asCurrent(editor, { isEditor: true }), { body: 'Vær saklig.', note: '' })
  const draft = await createPost(app.db, asCurrent(author), { title: 'Hemmelig utkast', body: 'x', lead: '', tags: '', coverUploadId: null })
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', draft.id).executeTakeFirstOrThrow()
  const snoop = await loggedIn(app, await makeUser(app))
  const res = await snoop.post('/comments', { postId: String(draft.id), body: 'Hei' }, { from: '/guidelines' })
  assert.equal(res.statusCode, 404)
  assert.doesNotMatch(String(res.headers.location ?? ''), new RegExp(slug))
  assert.doesNotMatch(res.body, new RegExp(slug))
})
