import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { publishedPost } from '../posts/helpers.js'

test('every page with a feed announces it in <head> and shows a visible link', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const editor = await makeUser(app, { role: 'editor', username: 'eva' })
  const author = await makeUser(app, { username: 'kari' })
  const id = await publishedPost(app, author, editor, { title: 'Om feeds', tags: 'ikt' })
  const { slug } = await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()
  const anon = new Client(app)
  const pages: [string, string][] = [
    ['/', '/feed.xml'], ['/tags/ikt', '/tags/ikt/feed.xml'], ['/users/kari', '/users/kari/feed.xml'],
    ['/users/kari/updates', '/users/kari/updates/feed.xml'], ['/micro', '/micro/feed.xml'], [`/posts/${slug}`, `/posts/${slug}/comments/feed.xml`],
  ]
  for (const [page, feed] of pages) {
    const res = await anon.get(page)
    assert.equal(res.statusCode, 200, page)
    assert.ok(res.body.includes(`<link rel="alternate" type="application/rss+xml"`), `${page}: <link rel=alternate>`)
    assert.ok(res.body.includes(`href="${feed}"`), `${page} links ${feed}`)
    assert.equal((await anon.get(feed)).statusCode, 200, feed)
  }
  // The editorial queue feed is the editors' own, with their key.
  const ed = await loggedIn(app, editor)
  const queue = await ed.get('/editorial')
  const href = /<link rel="alternate" type="application\/rss\+xml"[^>]*href="([^"]+)"/.exec(queue.body)?.[1]
  assert.match(String(href), /^\/editorial\/feed\.xml\?key=/)
  assert.equal((await new Client(app).get(href!.replace(/&amp;/g, '&'))).statusCode, 200)
})
