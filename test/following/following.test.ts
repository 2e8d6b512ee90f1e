// Following people and tags, the "X følger deg" notification, and the personal timeline.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertMicro, insertPost } from '../feeds/fixtures.js'
import { setActive } from '../../src/users/service.js'
import { describeNotification } from '../../src/notifications/describe.js'
import { translator } from '../../src/web/i18n/index.js'
import { bumpContentGeneration } from '../../src/web/page-cache.js'

const follows = (app: FastifyInstance, followerId: number) =>
  app.db.selectFrom('user_follows').select('followed_id').where('follower_id', '=', followerId).execute()
const notificationsOf = (app: FastifyInstance, userId: number) =>
  app.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).orderBy('id').execute()
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000)

test('a person follows and unfollows a colleague from the author page; the colleague is told, in words that count', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per, ola, anne] = await Promise.all([
    makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'per', displayName: 'Per Hansen' }),
    makeUser(app, { username: 'ola', displayName: 'Ola Berg' }), makeUser(app, { username: 'anne', displayName: 'Anne Lie' }),
  ])
  const c = await loggedIn(app, per)
  const profile = await c.get('/users/kari')
  assert.match(profile.body, /<form method="post" action="\/users\/kari\/follow"/)
  assert.match(profile.body, />Følg Kari Nordmann</)
  const res = await c.post('/users/kari/follow', { next: '/users/kari' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/users/kari#follow_user_${kari.id}`)
  assert.deepEqual(await follows(app, per.id), [{ followed_id: kari.id }])
  const after = await c.get('/users/kari')
  assert.match(after.body, /Du følger Kari Nordmann\./)
  assert.match(after.body, /action="\/users\/kari\/unfollow"/)
  // Following again changes nothing and tells nobody twice.
  await c.post('/users/kari/follow', {})
  assert.equal((await follows(app, per.id)).length, 1)

  const k = await loggedIn(app, kari)
  let list = await k.get('/notifications')
  assert.match(list.body, /Per Hansen følger deg nå/)
  assert.equal((await notificationsOf(app, kari.id)).length, 1)
  // Two more people: one grouped notice, with a count.
  for (const u of [ola, anne]) await (await loggedIn(app, u)).post('/users/kari/follow', {}, { from: '/users/kari' })
  const rows = await notificationsOf(app, kari.id)
  assert.equal(rows.length, 1)
  assert.equal(rows[0]!.actor_count, 3)
  list = await k.get('/notifications')
  assert.match(list.body, /Anne Lie og 2 andre følger deg nå/)
  // English has a verb that counts (the person's language).
  await app.db.updateTable('users').set({ language: 'en' }).where('id', '=', kari.id).execute()
  assert.match((await k.get('/notifications')).body, /Anne Lie and 2 others now follow you/)
  const one = { kind: 'follow', actor_name: 'Per Hansen', actor_count: 1, subject_type: 'user', subject_id: kari.id, data: '{"href":"/users/per"}' }
  assert.deepEqual(describeNotification(one, translator('en')), { text: 'Per Hansen now follows you', href: '/users/per' })
  assert.equal(describeNotification({ ...one, actor_count: 2 }, translator('nn')).text, 'Per Hansen og éin annan følgjer deg no')

  // Unfollowing while unread takes Per's part back out.
  await app.db.updateTable('notifications').set({ actor_count: 3, actor_ids: `[${anne.id},${ola.id},${per.id}]`, actor_id: anne.id }).where('user_id', '=', kari.id).execute()
  const un = await c.post('/users/kari/unfollow', { next: '/following' }, { from: '/users/kari' })
  assert.equal(un.headers.location, `/following#follow_user_${kari.id}`)
  assert.deepEqual(await follows(app, per.id), [])
  assert.equal((await notificationsOf(app, kari.id))[0]!.actor_count, 2)
})

test('nobody follows themselves or a deactivated person; a deactivated person drops out of the list and the timeline; visitors are sent to log in', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'per' })])
  const c = await loggedIn(app, per)
  assert.doesNotMatch((await c.get('/users/per')).body, /\/follow"/, 'no button on one’s own page')
  assert.equal((await c.post('/users/per/follow', {})).statusCode, 409)
  assert.equal((await c.post('/users/nobody/follow', {})).statusCode, 404)

  await insertPost(app, { author: kari, title: 'Karis innlegg', publishedAt: minutesAgo(5) })
  await c.post('/users/kari/follow', {}, { from: '/users/kari' })
  assert.match((await c.get('/following')).body, /Kari Nordmann/)
  assert.match((await c.get('/timeline')).body, /Karis innlegg/)
  await setActive(app.db, null, kari.id, false)
  bumpContentGeneration() // as an administrator's POST would
  assert.doesNotMatch((await c.get('/following')).body, /Kari Nordmann/)
  assert.doesNotMatch((await c.get('/timeline')).body, /Karis innlegg/)
  assert.equal((await c.post('/users/kari/follow', {}, { from: '/following' })).statusCode, 409)
  assert.doesNotMatch((await c.get('/users/kari')).body, /\/follow"/)

  const visitor = new Client(app)
  for (const url of ['/timeline', '/following']) {
    const res = await visitor.get(url)
    assert.equal(res.statusCode, 303)
    assert.match(String(res.headers.location), /^\/login/)
  }
  const post = await visitor.post('/tags/x/follow', {}, { csrf: 'nope' })
  assert.ok([303, 403].includes(post.statusCode))
  assert.equal((await app.db.selectFrom('tag_follows').selectAll().execute()).length, 0)
})

test('following a tag from the tag page; the list of what one follows, with empty states in three languages', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'per' })])
  await insertPost(app, { author: kari, title: 'Om skyen', tags: ['skytjenester'] })
  await app.db.updateTable('tags').set({ post_count: 1 }).execute() // the fixture leaves the counts to the posts feature
  const c = await loggedIn(app, per)
  const empty = await c.get('/following')
  assert.match(empty.body, /Du følger ingen personer eller stikkord ennå/)
  assert.match(empty.body, /Skribenter du kan følge/)
  assert.match(empty.body, /action="\/users\/kari\/follow"/)
  assert.match(empty.body, /action="\/tags\/skytjenester\/follow"/)

  const tagPage = await c.get('/tags/skytjenester')
  assert.match(tagPage.body, />Følg #skytjenester</)
  const res = await c.post('/tags/skytjenester/follow', { next: '/tags/skytjenester' })
  const tag = await app.db.selectFrom('tags').select('id').where('name', '=', 'skytjenester').executeTakeFirstOrThrow()
  assert.equal(res.headers.location, `/tags/skytjenester#follow_tag_${tag.id}`)
  assert.match((await c.get('/tags/skytjenester')).body, /Du følger #skytjenester/)
  assert.equal((await c.post('/tags/finnesikke/follow', {}, { from: '/following' })).statusCode, 404)

  const list = await c.get('/following')
  assert.match(list.body, /1 stikkord/)
  assert.match(list.body, /Du følger ingen personer\./)
  assert.match(list.body, /action="\/tags\/skytjenester\/unfollow"/)
  await app.db.updateTable('users').set({ language: 'en' }).where('id', '=', per.id).execute()
  assert.match((await c.get('/following')).body, /1 tag</)
  await app.db.updateTable('users').set({ language: 'nn' }).where('id', '=', per.id).execute()
  assert.match((await c.get('/following')).body, /Du følgjer ingen personar\./)

  // Both are JSON-aware for the in-place script.
  const j = await app.inject({ method: 'POST', url: '/tags/skytjenester/unfollow', payload: `_csrf=${encodeURIComponent(c.csrf())}&next=%2Ffollowing`,
    headers: { cookie: [...c.cookies].map(([n, v]) => `${n}=${encodeURIComponent(v)}`).join('; '), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } })
  assert.equal(j.statusCode, 200)
  assert.deepEqual(j.json(), { location: `/following#follow_tag_${tag.id}`, refresh: `/following#follow_tag_${tag.id}`, message: 'Du følgjer ikkje lenger.' })
  assert.equal((await app.db.selectFrom('tag_follows').selectAll().execute()).length, 0)
})

test('the "X følger deg" notification can be turned off like every other kind', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari' }), makeUser(app, { username: 'per' })])
  const k = await loggedIn(app, kari)
  const prefs = await k.get('/settings/notifications')
  assert.match(prefs.body, /id="kind_follow" name="kinds" value="follow" checked/)
  assert.match(prefs.body, /noen begynner å følge meg/)
  // Everything else stays on; "follow" is left out.
  const kinds = ['mention', 'micro.reply', 'micro.like', 'comment.reply', 'post.comment', 'editorial.decision']
  assert.equal((await k.post('/settings/notifications', { kinds })).statusCode, 303)
  assert.doesNotMatch((await k.get('/settings/notifications')).body, /value="follow" checked/)
  await (await loggedIn(app, per)).post('/users/kari/follow', {}, { from: '/users/kari' })
  assert.equal((await notificationsOf(app, kari.id)).length, 0)
  assert.equal((await follows(app, per.id)).length, 1, 'the follow itself is made')
})
