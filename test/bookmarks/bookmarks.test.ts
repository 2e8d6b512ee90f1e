// Bookmarks («Les senere»): the toggle with and without JavaScript, the private list, what never shows,
// and the privacy rights (export, erasure) over follows and bookmarks.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { unzipSync } from 'fflate'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertMicro, insertPost, setPostStatus } from '../feeds/fixtures.js'
import { bumpContentGeneration } from '../../src/web/page-cache.js'

const bookmarksOf = (app: FastifyInstance, userId: number) =>
  app.db.selectFrom('bookmarks').select(['post_id', 'micro_id']).where('user_id', '=', userId).orderBy('id').execute()
const cookieOf = (c: Client) => [...c.cookies].map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; ')

test('a post is kept from its page and let go again, with and without JavaScript; the list is its owner’s alone', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per, ola] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'per' }), makeUser(app, { username: 'ola' })])
  const post = await insertPost(app, { author: kari, title: 'Verdt å lese' })
  const c = await loggedIn(app, per)
  const empty = await c.get('/bookmarks')
  assert.match(empty.body, /Du har ikke lagt noe til side ennå/)

  const page = await c.get(`/posts/${post.slug}`)
  assert.match(page.body, new RegExp(`<div class="post-bookmark" id="bookmark_post_${post.id}"><form method="post" action="/bookmarks/post/${post.id}"`))
  assert.match(page.body, /class="link-button bookmark-button" aria-pressed="false">Les senere</)
  const res = await c.post(`/bookmarks/post/${post.id}`, { next: `/posts/${post.slug}` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/posts/${post.slug}#bookmark_post_${post.id}`)
  assert.deepEqual(await bookmarksOf(app, per.id), [{ post_id: post.id, micro_id: null }])
  assert.match((await c.get(`/posts/${post.slug}`)).body, /aria-pressed="true">Les senere</)
  const list = await c.get('/bookmarks')
  assert.match(list.body, /Verdt å lese/)
  assert.match(list.body, new RegExp(`action="/bookmarks/post/${post.id}"`))

  // Private: another person sees their own (empty) list, and cannot read this one anywhere.
  const o = await loggedIn(app, ola)
  assert.doesNotMatch((await o.get('/bookmarks')).body, /Verdt å lese/)
  assert.match((await o.get(`/posts/${post.slug}`)).body, /aria-pressed="false">Les senere</)
  assert.equal((await new Client(app).get('/bookmarks')).statusCode, 303)

  // In place: the script gets where to go, what to fetch and what to say.
  const j = await app.inject({ method: 'POST', url: `/bookmarks/post/${post.id}`, payload: `_csrf=${encodeURIComponent(c.csrf())}&next=%2Fbookmarks`,
    headers: { cookie: cookieOf(c), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } })
  assert.deepEqual(j.json(), { location: `/bookmarks#bookmark_post_${post.id}`, refresh: `/bookmarks#bookmark_post_${post.id}`, message: 'Fjernet fra Les senere.' })
  assert.deepEqual(await bookmarksOf(app, per.id), [])
  // Without the CSRF token nothing changes.
  const forged = await c.post(`/bookmarks/post/${post.id}`, {}, { csrf: 'forged' })
  assert.equal(forged.statusCode, 403)
  assert.deepEqual(await bookmarksOf(app, per.id), [])
})

test('updates are kept from the microblog; hidden, deleted and unpublished things never show and cannot be kept', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'per' })])
  const m = await insertMicro(app, { author: kari, body: 'Kort og godt' })
  const gone = await insertMicro(app, { author: kari, body: 'Skal skjules' })
  const hidden = await insertMicro(app, { author: kari, body: 'Allerede skjult', hidden: true })
  const post = await insertPost(app, { author: kari, title: 'Snart trukket' })
  const draft = await insertPost(app, { author: kari, title: 'Utkast', status: 'draft' })
  const c = await loggedIn(app, per)
  const timeline = await c.get('/micro')
  assert.match(timeline.body, new RegExp(`<form method="post" action="/bookmarks/micro/${m}" class="inline bookmark-form" data-in-place="micro_${m}">`))
  const res = await c.post(`/bookmarks/micro/${m}`, { next: '/micro' })
  assert.equal(res.headers.location, `/micro#micro_${m}`)
  await c.post(`/bookmarks/micro/${gone}`, { next: '/micro' }, { from: '/micro' })
  await c.post(`/bookmarks/post/${post.id}`, {}, { from: '/micro' })
  assert.equal((await c.post(`/bookmarks/micro/${hidden}`, {}, { from: '/micro' })).statusCode, 409)
  assert.equal((await c.post(`/bookmarks/post/${draft.id}`, {}, { from: '/micro' })).statusCode, 404)
  assert.equal((await c.post('/bookmarks/micro/999999', {}, { from: '/micro' })).statusCode, 404)
  assert.equal((await bookmarksOf(app, per.id)).length, 3)
  let list = await c.get('/bookmarks')
  for (const text of ['Kort og godt', 'Skal skjules', 'Snart trukket']) assert.match(list.body, new RegExp(text))

  await app.db.updateTable('micro_posts').set({ hidden_at: new Date().toISOString(), hidden_by: kari.id, hidden_reason: 'x' }).where('id', '=', gone).execute()
  await setPostStatus(app, post.id, 'withdrawn')
  bumpContentGeneration()
  list = await c.get('/bookmarks')
  assert.match(list.body, /Kort og godt/)
  assert.doesNotMatch(list.body, /Skal skjules|Snart trukket/)
  await app.db.updateTable('micro_posts').set({ deleted_at: new Date().toISOString() }).where('id', '=', m).execute()
  bumpContentGeneration()
  list = await c.get('/bookmarks')
  assert.doesNotMatch(list.body, /Kort og godt/)
  assert.match(list.body, /Du har ikke lagt noe til side ennå/)
})

test('the bookmarks page goes back in time by keyset, newest kept first', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'per' })])
  const ids: number[] = []
  for (let i = 0; i < 25; i++) ids.push(await insertMicro(app, { author: kari, body: `Oppdatering nummer ${i}` }))
  for (const id of ids) await app.db.insertInto('bookmarks').values({ user_id: per.id, micro_id: id, created_at: new Date().toISOString() }).execute()
  const c = await loggedIn(app, per)
  const first = await c.get('/bookmarks')
  const shown = (html: string) => [...html.matchAll(/<article class="micro micro-visible" id="micro_(\d+)"/g)].map((m) => Number(m[1]))
  assert.deepEqual(shown(first.body), [...ids].reverse().slice(0, 20))
  const next = /rel="next" href="(\/bookmarks\?before=\d+)"/.exec(first.body)?.[1]
  assert.ok(next)
  const second = await c.get(next!)
  assert.deepEqual(shown(second.body), [...ids].reverse().slice(20))
  assert.match(second.body, /<a href="\/bookmarks">Sist lagt til<\/a>/)
  for (const [lang, title] of [['nn', 'Les seinare'], ['en', 'Read later']]) {
    await app.db.updateTable('users').set({ language: lang }).where('id', '=', per.id).execute()
    assert.match((await (await loggedIn(app, per)).get('/bookmarks')).body, new RegExp(`<h1>${title}</h1>`))
  }
})

test('a person’s export holds their follows and bookmarks; anonymising removes them, both ways', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per, admin] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'per' }), makeUser(app, { role: 'admin' })])
  const post = await insertPost(app, { author: kari, title: 'Innlegg', tags: ['sky'] })
  const p = await loggedIn(app, per)
  await p.post('/users/kari/follow', {}, { from: '/users/kari' })
  await p.post('/tags/sky/follow', {}, { from: '/tags/sky' })
  await p.post(`/bookmarks/post/${post.id}`, {}, { from: `/posts/${post.slug}` })
  await (await loggedIn(app, kari)).post('/users/per/follow', {}, { from: '/users/per' })

  await p.get('/settings/privacy')
  const zip = await p.post('/settings/privacy/export', {})
  const data = JSON.parse(Buffer.from(unzipSync(new Uint8Array(zip.rawPayload))['data.json']!).toString('utf8')) as Record<string, Record<string, unknown>[]>
  assert.ok(data.user_follows!.some((r) => r.follower_id === per.id && r.followed_id === kari.id))
  assert.ok(data.user_follows!.some((r) => r.follower_id === kari.id && r.followed_id === per.id))
  assert.equal(data.tag_follows!.length, 1)
  assert.deepEqual(data.bookmarks!.map((r) => r.post_id), [post.id])

  const a = await loggedIn(app, admin)
  const res = await a.post(`/admin/users/${per.id}/privacy`, { mode: 'anonymise', posts: 'keep', comments: 'keep', updates: 'keep', confirm: 'on' }, { from: `/admin/users/${per.id}/privacy` })
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await app.db.selectFrom('user_follows').selectAll().execute(), [])
  assert.deepEqual(await app.db.selectFrom('tag_follows').selectAll().execute(), [])
  assert.deepEqual(await app.db.selectFrom('bookmarks').selectAll().execute(), [])
})
