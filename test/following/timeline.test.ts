// The personal timeline: what it holds, in which order, page by page, and how it is read (the plan).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { insertMicro, insertPost } from '../feeds/fixtures.js'
import { listTimelineMicroKeys, listTimelinePostKeys, suggestedAuthorsQuery, timelineMicroQuery, timelinePostQuery } from '../../src/following/queries.js'
import { compareKeys, decodeTimelineCursor, encodeTimelineCursor } from '../../src/following/timeline.js'

const at = (minutesAgo: number) => new Date(Date.parse('2026-11-01T12:00:00.000Z') - minutesAgo * 60_000).toISOString()

/** The items of a timeline page in order: "p<id>" for a post, "m<id>" for an update. */
function itemsOf(html: string): string[] {
  return [...html.matchAll(/<li class="mixed-item mixed-(post|micro)">\s*(?:[\s\S]*?id="(?:bookmark_post_|micro_)(\d+)")/g)]
    .map((m) => `${m[1] === 'post' ? 'p' : 'm'}${m[2]}`)
}

async function follow(app: FastifyInstance, user: { id: number }, what: { userId?: number; tag?: string }) {
  if (what.userId) await app.db.insertInto('user_follows').values({ follower_id: user.id, followed_id: what.userId, created_at: at(0) }).execute()
  if (what.tag) {
    const tag = await app.db.selectFrom('tags').select('id').where('name', '=', what.tag).executeTakeFirstOrThrow()
    await app.db.insertInto('tag_follows').values({ user_id: user.id, tag_id: tag.id, created_at: at(0) }).execute()
  }
}

test('the timeline holds the posts and updates of the people and tags one follows, newest first, nothing hidden or unpublished, page by page', async (t) => {
  const app = await buildTestApp(t)
  const [kari, ola, per] = await Promise.all([
    makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'ola' }), makeUser(app, { username: 'per' }),
  ])
  const p1 = (await insertPost(app, { author: kari, title: 'Kari 1', publishedAt: at(100) })).id
  const m1 = await insertMicro(app, { author: kari, body: 'Kari oppdatering', createdAt: at(90) })
  const p2 = (await insertPost(app, { author: ola, title: 'Ola om sky', tags: ['sky'], publishedAt: at(80) })).id
  const m2 = await insertMicro(app, { author: ola, body: 'Ola #sky', tags: ['sky'], createdAt: at(70) })
  await insertPost(app, { author: ola, title: 'Ola uten stikkord', publishedAt: at(60) })
  await insertMicro(app, { author: ola, body: 'Ola uten stikkord', createdAt: at(60) })
  await insertMicro(app, { author: kari, body: 'Skjult', createdAt: at(55), hidden: true })
  await insertMicro(app, { author: kari, body: 'Slettet', createdAt: at(55), deleted: true })
  await insertMicro(app, { author: ola, body: 'Skjult #sky', tags: ['sky'], createdAt: at(54), hidden: true })
  await insertPost(app, { author: kari, title: 'Kari utkast', status: 'submitted' })
  await insertPost(app, { author: ola, title: 'Ola utkast sky', status: 'draft', tags: ['sky'] })
  const p5 = (await insertPost(app, { author: kari, title: 'Kari om sky', tags: ['sky'], publishedAt: at(50) })).id // two ways in, shown once
  const p6 = (await insertPost(app, { author: kari, title: 'Kari samtidig', publishedAt: at(40) })).id
  const m6 = await insertMicro(app, { author: kari, body: 'Samtidig', createdAt: at(40) }) // same instant: the post first
  await follow(app, per, { userId: kari.id, tag: 'sky' })

  const c = await loggedIn(app, per)
  const first = await c.get('/timeline')
  assert.equal(first.statusCode, 200)
  const expected = [`p${p6}`, `m${m6}`, `p${p5}`, `m${m2}`, `p${p2}`, `m${m1}`, `p${p1}`]
  assert.deepEqual(itemsOf(first.body), expected)
  assert.doesNotMatch(first.body, /Skjult|Slettet|utkast|uten stikkord/)
  assert.doesNotMatch(first.body, /rel="next"/)

  // 30 more of Kari's updates, older than all of it: two pages, nothing lost, nothing twice.
  const older: string[] = []
  for (let i = 0; i < 30; i++) older.push(`m${await insertMicro(app, { author: kari, body: `Eldre ${i}`, createdAt: at(200 + i) })}`)
  const c2 = await loggedIn(app, per) // a new session: nothing cached
  const page1 = await c2.get('/timeline')
  const next = /rel="next" href="\/timeline\?before=([^"]+)"/.exec(page1.body)?.[1]
  assert.ok(next, 'a link to the next page')
  const page2 = await c2.get(`/timeline?before=${next}`)
  const all = [...itemsOf(page1.body), ...itemsOf(page2.body)]
  assert.equal(itemsOf(page1.body).length, 20)
  assert.deepEqual(all, [...expected, ...older])
  assert.doesNotMatch(page2.body, /rel="next"/)
  assert.match(page2.body, /<a href="\/timeline">Nyeste<\/a>/)
  // A hand-made cursor gives the first page.
  assert.deepEqual(itemsOf((await c2.get('/timeline?before=rubbish')).body).slice(0, 2), expected.slice(0, 2))
})

test('an empty timeline suggests whom and what to follow, in three languages', async (t) => {
  const app = await buildTestApp(t)
  const [kari, per] = await Promise.all([makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' }), makeUser(app, { username: 'per' })])
  await insertPost(app, { author: kari, title: 'Om skyen', tags: ['sky'] })
  await app.db.updateTable('tags').set({ post_count: 1 }).execute()
  const c = await loggedIn(app, per)
  const nb = await c.get('/timeline')
  assert.match(nb.body, /Du følger ingen ennå/)
  assert.match(nb.body, /<a href="\/users\/kari">Kari Nordmann<\/a>/)
  assert.match(nb.body, /action="\/users\/kari\/follow"/)
  assert.match(nb.body, /action="\/tags\/sky\/follow"/)
  for (const [lang, text] of [['nn', /Du følgjer ingen enno/], ['en', /You do not follow anyone yet/]] as const) {
    await app.db.updateTable('users').set({ language: lang }).where('id', '=', per.id).execute()
    assert.match((await (await loggedIn(app, per)).get('/timeline')).body, text)
  }
})

// Each person is read for a few of their newest items first, and again for a whole page only when
// one person fills that many of the answer: a busy colleague's items must all be there, in order.
test('a person who wrote most of the newest items still fills the page with all of them', async (t) => {
  const app = await buildTestApp(t)
  const [reader, busy, quiet] = await Promise.all([makeUser(app), makeUser(app), makeUser(app)])
  await follow(app, reader, { userId: busy.id })
  await follow(app, reader, { userId: quiet.id })
  const busyUpdates: number[] = []
  const busyPosts: number[] = []
  for (let i = 0; i < 12; i++) {
    busyUpdates.push(await insertMicro(app, { author: busy, body: `Travel ${i}`, createdAt: at(12 - i) }))
    busyPosts.push((await insertPost(app, { author: busy, title: `Travel ${i}`, publishedAt: at(12 - i) })).id)
  }
  const quietUpdates: number[] = []
  const quietPosts: number[] = []
  for (let i = 0; i < 12; i++) {
    quietUpdates.push(await insertMicro(app, { author: quiet, body: `Rolig ${i}`, createdAt: at(100 - i) }))
    quietPosts.push((await insertPost(app, { author: quiet, title: `Rolig ${i}`, publishedAt: at(100 - i) })).id)
  }
  const newestFirst = (ids: number[]) => ids.slice().reverse()
  assert.deepEqual((await listTimelineMicroKeys(app.db, reader.id, undefined, 21)).map((k) => k.id),
    [...newestFirst(busyUpdates), ...newestFirst(quietUpdates)].slice(0, 21))
  assert.deepEqual((await listTimelinePostKeys(app.db, reader.id, undefined, 21)).map((k) => k.id),
    [...newestFirst(busyPosts), ...newestFirst(quietPosts)].slice(0, 21))
  // Many people, a few items each: every one of them in order.
  const many = await Promise.all(Array.from({ length: 6 }, () => makeUser(app)))
  const spread: number[] = []
  for (const [i, person] of many.entries()) {
    await follow(app, reader, { userId: person.id })
    for (let k = 0; k < 3; k++) spread.push(await insertMicro(app, { author: person, body: `Spredt ${i} ${k}`, createdAt: at(-10 - i * 3 - k) }))
  }
  assert.deepEqual((await listTimelineMicroKeys(app.db, reader.id, undefined, 21)).map((k) => k.id).slice(0, 18), newestFirst(spread))
})

test('the cursor keeps posts before updates at one instant', () => {
  const keys = [
    { kind: 'micro' as const, id: 9, at: '2026-01-01T00:00:00.000Z' }, { kind: 'post' as const, id: 3, at: '2026-01-01T00:00:00.000Z' },
    { kind: 'post' as const, id: 4, at: '2026-01-01T00:00:00.000Z' }, { kind: 'micro' as const, id: 1, at: '2026-01-02T00:00:00.000Z' },
  ]
  assert.deepEqual(keys.sort(compareKeys).map((k) => `${k.kind}${k.id}`), ['micro1', 'post4', 'post3', 'micro9'])
  assert.deepEqual(decodeTimelineCursor(encodeTimelineCursor(keys[1]!)), keys[1])
  assert.equal(decodeTimelineCursor('2026-01-01~p3'), undefined)
})

// The timeline is as fast as the global one at 100,000 posts and 500,000 updates because no part of it
// scans posts or updates: each followed person or tag is a short range of an existing index, found
// through the primary key of user_follows / tag_follows. SQLite's plan says so.
test('the timeline queries read indexes only: no scan of posts, updates or tags', async (t) => {
  const app = await buildTestApp(t)
  if (app.database.kind !== 'sqlite') return t.skip('the plan checked is SQLite\'s')
  const cursor = { at: '2026-01-01T00:00:00.000Z', kind: 'post' as const, id: 5 }
  for (const [q, wanted] of [
    [timelinePostQuery(app.db, 1, cursor, 21), ['posts_author_idx', 'post_tags_tag_idx']],
    [timelineMicroQuery(app.db, 1, cursor, 21), ['micro_posts_author_idx', 'micro_tags_tag_idx']],
  ] as const) {
    const c = q.compile()
    const plan = (app.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail)
    assert.ok(!plan.some((d) => /^SCAN /.test(d)), `no full scan:\n${plan.join('\n')}`)
    for (const index of wanted) assert.ok(plan.some((d) => d.includes(`USING COVERING INDEX ${index}`) || d.includes(`USING INDEX ${index}`)), `${index}:\n${plan.join('\n')}`)
    assert.ok(plan.some((d) => d.includes('sqlite_autoindex_user_follows_1')) && plan.some((d) => d.includes('sqlite_autoindex_tag_follows_1')))
    // Posts and updates themselves are only looked up by id.
    assert.ok(plan.filter((d) => /^SEARCH (p|m) /.test(d)).every((d) => d.includes('INTEGER PRIMARY KEY')), plan.join('\n'))
  }
})

// An empty timeline suggests people who published lately: read from the newest posts (an index
// range), never by grouping every published post or scanning every person.
test('the suggestions of people read the newest posts only', async (t) => {
  const app = await buildTestApp(t)
  if (app.database.kind !== 'sqlite') return t.skip('the plan checked is SQLite\'s')
  const c = suggestedAuthorsQuery(app.db, 1, 6).compile()
  const plan = (app.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail)
  // (SCAN p is the window of newest posts itself.)
  assert.ok(!plan.some((d) => /^SCAN (posts|users|u)\b/.test(d)), `no scan of posts or people:\n${plan.join('\n')}`)
  assert.ok(plan.some((d) => d.includes('posts_status_published_idx')), plan.join('\n'))
  assert.ok(plan.some((d) => /^SEARCH u USING INTEGER PRIMARY KEY/.test(d)), `people by id:\n${plan.join('\n')}`)
})

test('a kept timeline lives until what it shows changes: a new update, a hidden one, a follow, a role; not an unrelated change', async (t) => {
  const app = await buildTestApp(t)
  const [kari, ola, ed] = await Promise.all([makeUser(app), makeUser(app, { displayName: 'Ola Nordmann' }), makeUser(app, { role: 'editor' })])
  await follow(app, kari, { userId: ola.id })
  const c = await loggedIn(app, kari)
  await c.get('/timeline')
  const kept = (await c.get('/timeline')).body
  assert.equal((await c.get('/timeline')).body, kept, 'kept')
  // Unrelated to the page (an administrator's invitation, someone else's notification): still kept.
  await app.db.insertInto('notifications').values({ user_id: ola.id, kind: 'mention', subject_type: 'micro', subject_id: 1, created_at: at(0), updated_at: at(0) }).execute()
  assert.equal((await c.get('/timeline')).body, kept, 'another person\'s notification keeps the page')

  // Written behind the app's back, as another process would: shows on the next page.
  const id = await insertMicro(app, { author: ola, body: 'Olas ferske oppdatering' })
  assert.match((await c.get('/timeline')).body, /Olas ferske oppdatering/)
  await app.db.updateTable('micro_posts').set({ hidden_at: at(0), hidden_by: ed.id, hidden_reason: 'x' }).where('id', '=', id).execute()
  assert.doesNotMatch((await c.get('/timeline')).body, /Olas ferske oppdatering/)
  await app.db.updateTable('users').set({ is_editor: 1 }).where('id', '=', kari.id).execute()
  assert.match((await c.get('/timeline')).body, /href="\/editorial"/, 'a new role shows at once')
  await app.db.deleteFrom('user_follows').where('follower_id', '=', kari.id).execute()
  assert.doesNotMatch((await c.get('/timeline')).body, /Ola Nordmann/, 'an unfollow shows at once')
})
