import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { Client, loggedIn } from '../helpers/client.js'
import { asCurrent, publishedPost } from '../posts/helpers.js'
import { createPost } from '../../src/posts/service.js'
import { decide, submitForReview } from '../../src/editorial/service.js'
import { postComment } from '../../src/comments/service.js'
import { postUpdate } from '../../src/micro/service.js'
import { flushViewCounts } from '../../src/statistics/hook.js'
import { osloDay } from '../../src/statistics/period.js'
import { sendMonthlySummary } from '../../src/statistics/summary.js'
import { contributionsPerMonth, percentile, utcMonthSlices } from '../../src/statistics/service.js'
import { toCsv } from '../../src/statistics/csv.js'

const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120' }

test('views are counted for cached and uncached pages alike, and nothing stored names a reader', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  await publishedPost(app, author, editor, { title: 'Velferdsteknologi i praksis' })
  const slug = (await app.db.selectFrom('posts').select('slug').executeTakeFirstOrThrow()).slug

  // Anonymous: the first request renders, the next two come from the page cache.
  const anon = [] as string[]
  for (let i = 0; i < 3; i++) {
    const res = await app.inject({ url: `/posts/${slug}`, headers: { ...UA, 'x-test': String(i) }, remoteAddress: '10.1.2.3' })
    assert.equal(res.statusCode, 200)
    anon.push(String(res.headers['set-cookie'] ?? ''))
  }
  assert.deepEqual(anon, ['', '', ''], 'reading sets no cookie')
  // Logged in: rendered once, then from the session's page cache.
  const reader = await loggedIn(app, await makeUser(app))
  reader.headers['user-agent'] = UA['user-agent']
  for (let i = 0; i < 2; i++) assert.equal((await reader.get(`/posts/${slug}`)).statusCode, 200)
  assert.equal((await app.inject({ url: '/', headers: UA, remoteAddress: '10.9.9.9' })).statusCode, 200)
  // Robots, missing pages and editor pages are not reading.
  await app.inject({ url: `/posts/${slug}`, headers: { 'user-agent': 'Googlebot/2.1' } })
  await app.inject({ url: '/posts/finnes-ikke', headers: UA })
  await flushViewCounts(app)

  const day = osloDay(new Date())
  const pages = await app.db.selectFrom('stats_page_views').selectAll().orderBy('kind').execute()
  assert.deepEqual(pages.map((p) => [p.day, p.kind, p.views]), [[day, 'home', 1], [day, 'post', 5]])
  const posts = await app.db.selectFrom('stats_post_views').selectAll().execute()
  assert.deepEqual(posts.map((p) => p.views), [5])
  const readers = await app.db.selectFrom('stats_readers').selectAll().execute()
  assert.deepEqual(readers.map((r) => [r.day, r.readers]), [[day, 3]], 'the anonymous reader twice, the logged-in reader, the front page reader')

  // No column of the statistics tables can hold an address, a user id, a cookie or a hash of one.
  for (const table of ['stats_page_views', 'stats_post_views', 'stats_readers', 'stats_summaries']) {
    const cols = (await app.database.db.introspection.getTables()).find((x) => x.name === table)!.columns.map((c) => c.name)
    assert.ok(cols.every((c) => ['day', 'kind', 'post_id', 'views', 'readers', 'month', 'sent_at'].includes(c)), `${table}: ${cols.join(', ')}`)
  }
  const dump = JSON.stringify([pages, posts, readers])
  assert.doesNotMatch(dump, /10\.1\.2\.3|10\.9\.9\.9|Mozilla|user_id/)
  // Reading did not create sessions either.
  assert.equal((await app.db.selectFrom('sessions').select('id').execute()).length, 1)

  // A second flush adds to the day's totals.
  await app.inject({ url: `/posts/${slug}`, headers: UA, remoteAddress: '10.1.2.3' })
  await flushViewCounts(app)
  assert.equal((await app.db.selectFrom('stats_post_views').select('views').executeTakeFirstOrThrow()).views, 6)
  assert.equal((await app.db.selectFrom('stats_readers').select('readers').executeTakeFirstOrThrow()).readers, 3, 'a reader seen today is not counted again')
})

test('the statistics page: aggregates, empty states, the period picker, CSV and permissions', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app, { displayName: 'Anne Forfatter' })
  const other = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const e = await loggedIn(app, editor)

  const empty = await e.get('/statistics?from=2026-01-01&to=2026-01-31')
  assert.equal(empty.statusCode, 200)
  assert.match(empty.body, /Ingen visninger er registrert i perioden/)
  assert.match(empty.body, /Ingen innlegg ble lest i perioden/)
  assert.match(empty.body, /Redaksjonen tok ingen avgjørelser i perioden/)
  assert.match(empty.body, /Ingen innlegg med emneknagger ble publisert i perioden/)

  // Content in March 2026: two posts (tags), a decision after 10 hours and one after 30, updates, comments.
  const a = asCurrent(author)
  const mk = async (title: string, tags: string, submitted: string, decided: string) => {
    const { id } = await createPost(app.db, a, { title, body: 'Tekst.', lead: '', tags, coverUploadId: null }, new Date(submitted))
    await submitForReview(app.db, a, id, {}, { fourEyes: true }, new Date(submitted))
    await decide(app.db, asCurrent(editor, { isEditor: true }), id, 'publish', {}, { fourEyes: true }, new Date(decided))
    return id
  }
  const p1 = await mk('Første', 'ikt, velferd', '2026-03-02T08:00:00Z', '2026-03-02T18:00:00Z')
  const p2 = await mk('=Andre, "med komma"', 'ikt', '2026-03-10T08:00:00Z', '2026-03-11T14:00:00Z')
  await postUpdate(app.db, a, { body: 'Oppdatering i mars' }, new Date('2026-03-05T10:00:00Z'))
  await postUpdate(app.db, asCurrent(other), { body: 'En til i april' }, new Date('2026-04-05T10:00:00Z'))
  await postComment(app.db, asCurrent(other), { postId: p1, body: 'Kommentar' }, new Date('2026-03-20T10:00:00Z'))
  await app.db.insertInto('stats_page_views').values([
    { day: '2026-03-02', kind: 'post', views: 7 }, { day: '2026-03-02', kind: 'home', views: 3 }, { day: '2026-03-03', kind: 'post', views: 5 },
  ]).execute()
  await app.db.insertInto('stats_post_views').values([{ day: '2026-03-02', post_id: p1, views: 7 }, { day: '2026-03-03', post_id: p2, views: 5 }]).execute()
  await app.db.insertInto('stats_readers').values([{ day: '2026-03-02', readers: 4 }, { day: '2026-03-03', readers: 2 }]).execute()

  const page = await e.get('/statistics?from=2026-03-01&to=2026-04-30')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /15 visninger i perioden/)
  assert.match(page.body, /<svg class="chart"[^>]*role="img" aria-labelledby="use_title use_desc"/)
  assert.match(page.body, /<th scope="row">2\. mars 2026<\/th><td class="num">10<\/td><td class="num">4<\/td>/)
  assert.match(page.body, /<th scope="row">Innlegg<\/th><td class="num">12<\/td>/)
  assert.match(page.body, new RegExp(`<a href="/statistics/posts/${p1}\\?from=2026-03-01&amp;to=2026-04-30">Første</a></th><td class="num">7</td>`))
  // March: 2 posts, 1 update, 1 comment, 2 people; April: 1 update, 1 person.
  assert.match(page.body, /<th scope="row">mars 2026<\/th><td class="num">2<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">2<\/td>/)
  assert.match(page.body, /<th scope="row">april 2026<\/th><td class="num">0<\/td><td class="num">1<\/td><td class="num">0<\/td><td class="num">1<\/td>/)
  // Median of 10 h and 30 h (nearest rank): 10 h; p90: 30 h.
  assert.match(page.body, /<dd>10 timer<\/dd>/)
  assert.match(page.body, /<dd>30 timer<\/dd>/)
  assert.match(page.body, /#ikt<\/a><\/th><td class="num">2</)

  const csv = await e.get('/statistics/export.csv?set=posts&from=2026-03-01&to=2026-04-30')
  assert.equal(csv.statusCode, 200)
  assert.match(String(csv.headers['content-type']), /^text\/csv/)
  assert.match(String(csv.headers['content-disposition']), /attachment; filename="betablogg-posts-2026-03-01-2026-04-30.csv"/)
  assert.equal(csv.body, `\uFEFFpost_id,title,url,views\r\n${p1},Første,http://localhost:3000/posts/forste,7\r\n${p2},"'=Andre, ""med komma""",http://localhost:3000/posts/andre-med-komma,5\r\n`)
  const use = await e.get('/statistics/export.csv?set=use&from=2026-03-01&to=2026-03-03')
  assert.equal(use.body, '\uFEFFday,views,readers\r\n2026-03-01,0,0\r\n2026-03-02,10,4\r\n2026-03-03,5,2\r\n')
  const contrib = await e.get('/statistics/export.csv?set=contributions&from=2026-03-01&to=2026-04-30')
  assert.equal(contrib.body, '\uFEFFmonth,posts,updates,comments,active_contributors\r\n2026-03,2,1,1,2\r\n2026-04,0,1,0,1\r\n')
  const queue = await e.get('/statistics/export.csv?set=queue&from=2026-03-01&to=2026-04-30')
  assert.equal(queue.body, '\uFEFFdecisions,median_hours,p90_hours\r\n2,10,30\r\n')

  const one = await e.get(`/statistics/posts/${p1}?from=2026-03-01&to=2026-03-07`)
  assert.equal(one.statusCode, 200)
  assert.match(one.body, /<th scope="row">2\. mars 2026<\/th><td class="num">7<\/td>/)

  const bad = await e.get('/statistics?from=2026-04-30&to=2026-03-01')
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_to-error">Til-datoen kan ikke være før fra-datoen/)
  assert.match(bad.body, /value="2026-04-30"/)
  assert.equal((await e.get('/statistics?from=2026-02-30')).statusCode, 422)

  const en = new Client(app)
  for (const [k, v] of e.cookies) en.cookies.set(k, v)
  en.cookies.set('lang', 'en')
  assert.match((await en.get('/statistics?from=2026-01-01&to=2026-01-31')).body, /No views were recorded in the period/)

  const emp = await loggedIn(app, other)
  assert.equal((await emp.get('/statistics')).statusCode, 403)
  assert.equal((await emp.get('/statistics/export.csv?set=use')).statusCode, 403)
  assert.equal((await app.inject({ url: '/statistics' })).statusCode, 303)
})

test('the monthly summary: a page, and once per month a notification (and e-mail) to editors who have not opted out', async (t) => {
  const app = await buildTestApp(t, { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Betablogg <b@example.test>', OUTBOX_POLL_MS: '3600000' })
  const editor = await makeUser(app, { role: 'editor', email: 'e@example.test' })
  const optedOut = await makeUser(app, { role: 'editor', email: 'o@example.test' })
  const now = new Date('2026-12-01T09:00:00Z')
  assert.equal(await sendMonthlySummary(app.db, now), false, 'no reading recorded in November: no summary')
  await app.db.insertInto('stats_page_views').values({ day: '2026-11-15', kind: 'home', views: 42 }).execute()
  await app.db.insertInto('notification_optouts').values({ user_id: optedOut.id, kind: 'stats.summary' }).execute()
  assert.equal(await sendMonthlySummary(app.db, now), true)
  assert.equal(await sendMonthlySummary(app.db, new Date('2026-12-02T09:00:00Z')), false, 'sent once')
  const notes = await app.db.selectFrom('notifications').selectAll().where('kind', '=', 'stats.summary').execute()
  assert.deepEqual(notes.map((n) => n.user_id), [editor.id])
  assert.equal((await app.db.selectFrom('outbox').select('id').where('idempotency_key', '=', `notification:${notes[0]!.id}`).execute()).length, 1)

  const e = await loggedIn(app, editor)
  assert.match((await e.get('/notifications')).body, /Månedsoversikten for 2026-11 er klar: 42 visninger, 0 nye innlegg, 0 kommentarer/)
  const page = await e.get('/statistics/summary?month=2026-11')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Månedsoversikt for november 2026/)
  assert.match(page.body, /<th scope="row">Visninger<\/th><td class="num">42<\/td>/)
  assert.match(page.body, /Ingen innlegg ble lest i perioden/)
  const bad = await e.get('/statistics/summary?month=2026-13')
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_month-error">Skriv en måned som ÅÅÅÅ-MM/)
  assert.match((await e.get('/settings/notifications')).body, /månedsoversikten over bruken av Betablogg er klar/)
})

test('percentiles and CSV cells', () => {
  assert.equal(percentile([], 0.5), null)
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2)
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9)
  assert.equal(toCsv(['a'], [['@x'], ['-1'], [null], [3]]), "\uFEFFa\r\n'@x\r\n'-1\r\n\r\n3\r\n")
})

test('the reader estimate forgets readers at the Oslo day boundary and keeps no identity in what it hands over', async () => {
  const { ViewCounter } = await import('../../src/statistics/counter.js')
  const c = new ViewCounter()
  const evening = Date.parse('2026-12-05T22:30:00Z') // 23:30 in Oslo
  c.record('post', 'a', 'a:10.0.0.1 UA', evening)
  c.record('post', 'a', 'a:10.0.0.1 UA', evening + 60_000)
  c.record('home', undefined, 'u:7', evening + 120_000)
  c.record('post', 'a', 'a:10.0.0.1 UA', evening + 3_600_000) // 00:30 the next day in Oslo
  const counts = c.take()
  assert.deepEqual([...counts.readers], [['2026-12-05', 2], ['2026-12-06', 1]])
  assert.deepEqual([...counts.pages], [['2026-12-05\tpost', 2], ['2026-12-05\thome', 1], ['2026-12-06\tpost', 1]])
  assert.doesNotMatch(JSON.stringify([...counts.pages, ...counts.posts, ...counts.readers]), /10\.0\.0\.1|u:7|UA/)
  assert.equal(c.pending, 0)
})

test('the reader hash: the same reader the same number under one seed, another under the next, and 100,000 readers kept apart', async () => {
  const { seededHash } = await import('../../src/statistics/counter.js')
  const seed = new Uint32Array([0x9e3779b9, 0x7f4a7c15])
  const next = new Uint32Array([0x9e3779b9, 0x7f4a7c16])
  const reader = 'a:10.0.0.1 Mozilla/5.0 (X11; Linux x86_64) Chrome/120'
  assert.equal(seededHash(reader, seed), seededHash(reader, new Uint32Array(seed)))
  assert.notEqual(seededHash(reader, seed), seededHash(reader, next))
  const seen = new Set<number>()
  for (let i = 0; i < 100_000; i++) {
    const h = seededHash(`a:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} Mozilla/5.0`, seed)
    assert.ok(Number.isSafeInteger(h) && h >= 0)
    seen.add(h)
  }
  assert.equal(seen.size, 100_000)
})

test('contributions are read a month at a time, other work running in between, and add up as one read would', async (t) => {
  assert.deepEqual(utcMonthSlices('2026-02-28T23:00:00.000Z', '2026-04-30T22:00:00.000Z'), [
    ['2026-02-28T23:00:00.000Z', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z'],
    ['2026-04-01T00:00:00.000Z', '2026-04-30T22:00:00.000Z'],
  ], 'cut where each UTC month begins (the months the counts are grouped by), the end left out')
  assert.deepEqual(utcMonthSlices('2026-03-05T00:00:00.000Z', '2026-03-05T00:00:00.000Z'), [])

  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const other = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const post = await publishedPost(app, author, editor, { title: 'Vinter' }, new Date('2025-12-31T23:30:00Z')) // January in Oslo, December in UTC
  for (const [who, at] of [[author, '2026-01-15T10:00:00Z'], [other, '2026-02-10T10:00:00Z'], [other, '2026-04-01T00:30:00Z']] as const) {
    await postUpdate(app.db, asCurrent(who), { body: `Oppdatering ${at}` }, new Date(at))
  }
  await postComment(app.db, asCurrent(other), { postId: post, body: 'Kommentar' }, new Date('2026-03-31T21:30:00Z'))
  let turns = 0
  let spinning = true
  const spin = () => { if (spinning) { turns++; setImmediate(spin) } }
  setImmediate(spin)
  const rows = await contributionsPerMonth(app.db, { from: '2026-01-01', to: '2026-04-30' })
  spinning = false
  assert.ok(turns >= 4, `other work ran between the months (${turns} turns)`)
  // As grouped by UTC month: the post of 31 December 23:30 UTC is December's and not in the period's months.
  assert.deepEqual(rows, [
    { month: '2026-01', posts: 0, updates: 1, comments: 0, contributors: 1 },
    { month: '2026-02', posts: 0, updates: 1, comments: 0, contributors: 1 },
    { month: '2026-03', posts: 0, updates: 0, comments: 1, contributors: 1 },
    { month: '2026-04', posts: 0, updates: 1, comments: 0, contributors: 1 },
  ])
})
