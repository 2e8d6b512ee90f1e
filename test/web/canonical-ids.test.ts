// Only canonical decimal ids are ids: /micro/0x10 or /comments/posts/1e3 are not update 16 or post 1000.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { postUpdate } from '../../src/micro/service.js'

const spellings = (id: number) => [`0x${id.toString(16)}`, `0${id}`, `+${id}`, `${id}.0`, `${id}e0`, ` ${id}`, `${id} `, `0b${id.toString(2)}`, `${id}abc`]

test('every :id parameter accepts only canonical decimal ids; anything else is 404', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { role: 'editor+admin' })
  const c = await loggedIn(app, kari)
  const editor = await makeUser(app, { role: 'editor' })
  const postId = await publishedPost(app, kari, editor)
  let updateId = 0
  for (let i = 0; i < 3; i++) updateId = await postUpdate(app.db, asCurrent(kari), { body: `Melding ${i}` })
  const pages = [(id: string) => `/micro/${id}`, (id: string) => `/comments/posts/${id}`, (id: string) => `/admin/users/${id}`, (id: string) => `/posts/${id}/history`]
  const ids = [updateId, postId, kari.id, postId]
  for (const [i, page] of pages.entries()) {
    const ok = await c.get(page(String(ids[i])))
    assert.equal(ok.statusCode, 200, page(String(ids[i])))
    for (const s of spellings(ids[i]!)) {
      const res = await c.get(page(encodeURIComponent(s)))
      assert.equal(res.statusCode, 404, page(s))
    }
  }
  const huge = await c.get('/micro/99999999999999999999')
  assert.equal(huge.statusCode, 404)
  const like = await c.post(`/micro/0x${updateId.toString(16)}/like`, {}, { from: '/micro' })
  assert.equal(like.statusCode, 404)
})
