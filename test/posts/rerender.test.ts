import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { rerenderPosts } from '../../src/posts/rerender.js'
import { publishedPost, postRow } from './helpers.js'

test('re-rendering makes the stored HTML again from the Markdown, for posts and revisions', async (t) => {
  const app = await buildTestApp(t)
  const id = await publishedPost(app, await makeUser(app), await makeUser(app, { role: 'editor' }), { body: 'Hei **verden**.' })
  // As if stored under an older, laxer policy.
  await app.db.updateTable('posts').set({ body_html: '<p onclick="x()">Hei</p>', summary: 'gammel' }).execute()
  await app.db.updateTable('post_revisions').set({ body_html: '<script>x()</script>' }).execute()
  const before = await postRow(app, id)
  const r = await rerenderPosts(app.db)
  assert.deepEqual(r, { posts: 1, revisions: 1, changed: 1 })
  const row = await postRow(app, id)
  assert.equal(row.body_html, '<p>Hei <strong>verden</strong>.</p>\n')
  assert.equal(row.summary, 'Hei verden.')
  assert.equal(row.body_md, before.body_md)
  const rev = await app.db.selectFrom('post_revisions').select('body_html').executeTakeFirstOrThrow()
  assert.equal(rev.body_html, '<p>Hei <strong>verden</strong>.</p>\n')
  assert.deepEqual(await rerenderPosts(app.db), { posts: 1, revisions: 1, changed: 0 }, 'nothing left to change')
})
