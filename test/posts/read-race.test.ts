// The post page reads who may see a post first and the whole post only when its body is made
// (src/posts/read-routes.ts): a change in between must not show the post to someone who may no longer see it.
import { test } from 'node:test'
import SQLite from 'better-sqlite3'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertPost, setPostStatus } from '../feeds/fixtures.js'
import { TEST_DATABASE_URL } from '../helpers/postgres.js'

test('a post withdrawn or given to another author between reading who may see it and making its body: 404 for who may no longer see it, nothing stale kept', {
  // The change is committed by a synchronous hook between the two statements, on a connection of
  // its own (as another process would): on SQLite's file.
  skip: !!TEST_DATABASE_URL && 'SQLite pass only',
}, async (t) => {
  const app = await buildTestApp(t)
  const elsewhere = new SQLite(app.config.databaseFile)
  elsewhere.pragma('busy_timeout = 5000')
  t.after(() => elsewhere.close())
  const commit = (sqlText: string, ...args: unknown[]) => () => elsewhere.prepare(sqlText).run(...args)
  const author = await makeUser(app)
  const other = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const post = await insertPost(app, { author, title: 'Løpende sak' })
  const url = `/posts/${post.slug}`
  const readers = [await loggedIn(app, await makeUser(app)), await loggedIn(app, await makeUser(app))]
  const ed = await loggedIn(app, editor)
  // `between` runs once, for a request of `on`: sharedBodies.get runs after the key read and before the producer's findPostById.
  let between: (() => unknown) | undefined
  let on = url
  const get = app.sharedBodies.get.bind(app.sharedBodies)
  app.sharedBodies.get = (k: string) => { if (between && k.includes(on)) { const f = between; between = undefined; void f() } return get(k) }
  assert.equal((await readers[0]!.get(url)).statusCode, 200) // first ask: made alone
  between = commit("update posts set status = 'withdrawn', published_at = null where id = ?", post.id)
  const r = await readers[1]!.get(url)
  assert.equal(r.statusCode, 404, 'withdrawn in between: not shown')
  assert.equal((await readers[0]!.get(url)).statusCode, 404)
  const e = await ed.get(url)
  assert.equal(e.statusCode, 200)
  await setPostStatus(app, post.id, 'published')
  for (const c of [...readers, ed]) assert.equal((await c.get(url)).statusCode, 200)
  // The author changes between (a draft: only its author may see it).
  const draft = await insertPost(app, { author, title: 'Utkast', status: 'draft' })
  const au = await loggedIn(app, author)
  const durl = `/posts/${draft.slug}`
  assert.equal((await au.get(durl)).statusCode, 200)
  assert.equal((await au.get(durl)).statusCode, 200)
  on = durl
  between = commit('update posts set author_id = ? where id = ?', other.id, draft.id)
  const a3 = await au.get(`${durl}?x=3`)
  assert.equal(between, undefined, "the change ran between the key read and the body")
  assert.equal(a3.statusCode, 404, 'no longer theirs')
  assert.doesNotMatch(a3.body, /Utkast/)
})
