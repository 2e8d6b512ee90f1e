import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { loggedIn } from '../helpers/client.js'
import { publishedPost } from '../posts/helpers.js'
import { sendReviewReminders, addMonths, ensureStewardship } from '../../src/stewardship/service.js'
import { countDue, listDue, walksByTitle } from '../../src/stewardship/queries.js'
import { verifyAuditChain } from '../../src/audit/chain.js'

// Mail configured (never reached: the worker does not poll during the test), so e-mail is queued.
const MAIL = { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Betablogg <betablogg@example.test>', OUTBOX_POLL_MS: '3600000' }

test('owners are reminded once per review date, on the site and by e-mail through the outbox', async (t) => {
  const app = await buildTestApp(t, MAIL)
  const author = await makeUser(app, { email: 'a@example.test' })
  const editor = await makeUser(app, { role: 'editor' })
  const due = await publishedPost(app, author, editor, { title: 'Gamle rutiner' }, new Date('2025-06-01T10:00:00Z'))
  const fresh = await publishedPost(app, author, editor, { title: 'Nye rutiner' }, new Date('2026-11-20T10:00:00Z'))
  const now = new Date('2026-12-05T10:00:00Z')

  assert.equal(await sendReviewReminders(app.db, now), 1)
  assert.equal(await sendReviewReminders(app.db, now), 0, 'a second run reminds nobody again')
  assert.equal(await sendReviewReminders(app.db, new Date('2026-12-06T10:00:00Z')), 0, 'nor the next day')
  const notes = await app.db.selectFrom('notifications').selectAll().where('kind', '=', 'post.review').execute()
  assert.deepEqual(notes.map((n) => [n.user_id, n.subject_id]), [[author.id, due]])
  assert.match(notes[0]!.data, /"date":"2026-06-01"/)
  const mail = await app.db.selectFrom('outbox').selectAll().where('idempotency_key', '=', `notification:${notes[0]!.id}`).execute()
  assert.equal(mail.length, 1)
  assert.equal(mail[0]!.recipient, `user:${author.id}`)
  const rows = await app.db.selectFrom('post_stewardship').selectAll().orderBy('post_id').execute()
  assert.deepEqual(rows.map((r) => [r.post_id, r.owner_id, r.review_by]), [[due, author.id, '2026-06-01'], [fresh, author.id, '2027-11-20']])

  const c = await loggedIn(app, author)
  const list = await c.get('/notifications')
  assert.match(list.body, /«Gamle rutiner» skal gjennomgås innen 2026-06-01/)
  assert.match(list.body, new RegExp(`href="/posts/${due}/ownership"`))
})

test('editors see the posts due for review, sortable and bounded; others do not', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const day = (ms: number) => new Date(Date.now() + ms * 86_400_000)
  const overdue = await publishedPost(app, author, editor, { title: 'B forfalt' }, day(-400))
  const soon = await publishedPost(app, author, editor, { title: 'A snart' }, day(-355))
  await publishedPost(app, author, editor, { title: 'C ny' }, day(-10))

  const e = await loggedIn(app, editor)
  const page = await e.get('/review')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1>Til gjennomgang<\/h1>/)
  assert.doesNotMatch(page.body, /C ny/)
  const order = (html: string) => [...html.matchAll(/<th scope="row"><a href="[^"]+">([^<]+)<\/a>/g)].map((m) => m[1])
  assert.deepEqual(order(page.body), ['B forfalt', 'A snart'])
  assert.match(page.body, /Forfalt/)
  assert.deepEqual(order((await e.get('/review?sort=title')).body), ['A snart', 'B forfalt'])
  assert.deepEqual(order((await e.get('/review?show=overdue')).body), ['B forfalt'])
  assert.ok(overdue && soon)

  const bad = await e.post('/review/settings', { months: 'tolv' }, { from: '/review' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_months-error">Skriv et helt tall fra 1 til 120/)
  assert.match(bad.body, /value="tolv"/)
  assert.equal((await e.post('/review/settings', { months: '6' }, { from: '/review' })).statusCode, 303)
  assert.match((await e.get('/review?saved=1')).body, /Standarden er lagret/)

  const emp = await loggedIn(app, author)
  assert.equal((await emp.get('/review')).statusCode, 403)
  const en = await e.get('/review?show=overdue', { cookie: `${[...e.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')}; lang=en` })
  assert.match(en.body, /Due for review/)
})

test('the owner and editors change owner and review date; "mark as reviewed" is audited and readers see "Sist gjennomgått"', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const other = await makeUser(app, { username: 'kari' })
  const editor = await makeUser(app, { role: 'editor' })
  const id = await publishedPost(app, author, editor, { title: 'Rutiner for velferdsteknologi' }, new Date('2025-01-15T10:00:00Z'))
  const slug = (await app.db.selectFrom('posts').select('slug').where('id', '=', id).executeTakeFirstOrThrow()).slug

  const stranger = await loggedIn(app, other)
  assert.equal((await stranger.get(`/posts/${id}/ownership`)).statusCode, 403)
  const reader = await stranger.get(`/posts/${slug}`)
  assert.doesNotMatch(reader.body, /Sist gjennomgått/)
  assert.doesNotMatch(reader.body, /\/ownership/)

  const owner = await loggedIn(app, author)
  const form = await owner.get(`/posts/${id}/ownership`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /Ikke gjennomgått ennå/)
  assert.match(form.body, /Gjennomgangen er forfalt/)
  const bad = await owner.post(`/posts/${id}/ownership`, { owner: 'finnesikke', unit: '', reviewBy: '2027-02-30' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_owner-error">Finner ingen aktiv bruker/)
  assert.match(bad.body, /id="f_reviewBy-error">Skriv en gyldig dato/)
  assert.match(bad.body, /value="finnesikke"/)
  const saved = await owner.post(`/posts/${id}/ownership`, { owner: 'kari', unit: 'Helse og velferd', reviewBy: '2027-03-01' }, { from: `/posts/${id}/ownership` })
  assert.equal(saved.statusCode, 303)
  // Kari owns it now: she may change it, the author no longer.
  assert.equal((await owner.get(`/posts/${id}/ownership`)).statusCode, 403)
  const now = await loggedIn(app, other)
  const marked = await now.post(`/posts/${id}/reviewed`, {}, { from: `/posts/${id}/ownership` })
  assert.equal(marked.statusCode, 303)
  const row = await app.db.selectFrom('post_stewardship').selectAll().where('post_id', '=', id).executeTakeFirstOrThrow()
  assert.equal(row.reviewed_by, other.id)
  assert.equal(row.owner_unit, 'Helse og velferd')
  const today = new Date().toISOString().slice(0, 10)
  assert.ok(row.review_by >= addMonths(today, 12).slice(0, 8), row.review_by)

  const audit = await app.db.selectFrom('audit_events').selectAll().where('subject_type', '=', 'post').where('subject_id', '=', id)
    .where('action', 'in', ['post.ownership', 'post.reviewed']).orderBy('id').execute()
  assert.deepEqual(audit.map((a) => [a.action, a.actor_id]), [['post.ownership', author.id], ['post.reviewed', other.id]])
  assert.match(audit[0]!.to_state!, /unit=Helse og velferd; review_by=2027-03-01/)
  assert.equal((await verifyAuditChain(app.db)).ok, true)

  const page = await (await loggedIn(app, editor)).get(`/posts/${slug}`)
  assert.match(page.body, /Sist gjennomgått \d+\. \w+ \d{4}/)
  assert.match(page.body, /Ansvarlig: <a href="\/users\/kari">[^<]+<\/a>, Helse og velferd/)
  assert.match(page.body, new RegExp(`href="/posts/${id}/ownership"`))
  // A reader who had the page before the review sees it too (the kept copy is dropped).
  assert.match((await stranger.get(`/posts/${slug}`)).body, /Sist gjennomgått/)
})

test('publishing gives a post its row at once; rows missing otherwise are filled in a slice at a time, or for one post when its page is opened', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const ids = [
    await publishedPost(app, author, editor, { title: 'Første' }, new Date('2025-03-31T22:30:00Z')),
    await publishedPost(app, author, editor, { title: 'Andre' }, new Date('2025-05-10T10:00:00Z')),
    await publishedPost(app, author, editor, { title: 'Tredje' }, new Date('2025-06-10T10:00:00Z')),
  ]
  const rows = async () => (await app.db.selectFrom('post_stewardship').select(['post_id', 'owner_id', 'review_by']).orderBy('post_id').execute())
    .map((r) => [r.post_id, r.owner_id, r.review_by])
  // Published at 00:30 on 1 April in Oslo: due a year after that day.
  const expected = [[ids[0], author.id, '2026-04-01'], [ids[1], author.id, '2026-05-10'], [ids[2], author.id, '2026-06-10']]
  assert.deepEqual(await rows(), expected, 'each published post has its row without any job having run')
  // The editors' list no longer fills rows in; it shows the published posts at once.
  const e = await loggedIn(app, editor)
  assert.match((await e.get('/review?show=overdue')).body, /Første[\s\S]*Andre[\s\S]*Tredje/)

  // Rows missing (posts published by an older version, or loaded by hand): the hourly job fills them in,
  // one slice of ids at a time, letting other work run between the slices.
  await app.db.deleteFrom('post_stewardship').execute()
  let turns = 0
  let spinning = true
  const spin = () => { if (spinning) { turns++; setImmediate(spin) } }
  setImmediate(spin)
  assert.equal(await ensureStewardship(app.db, 1), 3)
  spinning = false
  assert.ok(turns >= 3, `other work ran between the slices (${turns} turns)`)
  assert.deepEqual(await rows(), expected)
  assert.equal(await ensureStewardship(app.db), 0, 'a second pass adds nothing')

  // The owner's page of a post without a row makes that post's row, and only that one.
  await app.db.deleteFrom('post_stewardship').execute()
  const owner = await loggedIn(app, author)
  const form = await owner.get(`/posts/${ids[1]}/ownership`)
  assert.equal(form.statusCode, 200)
  assert.match(form.body, /2026-05-10/)
  assert.deepEqual(await rows(), [expected[1]])
})

test('the review list reads the same rows whether it sorts the due posts or walks the posts by title', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  // Titles that sort alike in any collation (PostgreSQL's may ignore case and accents).
  const titles = ['Rutiner', 'Budsjett', 'Avvik', 'Møteplan', 'Avvik', 'Ny']
  const ids: number[] = []
  for (const [i, title] of titles.entries()) {
    ids.push(await publishedPost(app, author, editor, { title }, new Date(Date.UTC(2024, 0, 10 + i, 10))))
  }
  // The newest is not due yet.
  await app.db.updateTable('post_stewardship').set({ review_by: '2999-01-01' }).where('post_id', '=', ids.at(-1)!).execute()
  const until = new Date().toISOString().slice(0, 10)
  const due = await countDue(app.db, until)
  assert.equal(due, 5)
  // Told there are many posts, the title order sorts the due ones; told there are few, it walks the posts by title.
  const sorting = { due, posts: 1_000_000 }
  const walking = { due, posts: 0 }
  assert.ok(!walksByTitle(sorting.due, sorting.posts) && walksByTitle(walking.due, walking.posts))
  assert.ok(!walksByTitle(2_000, 100_000) && walksByTitle(7_000, 100_000), 'at 100,000 posts the walk from about 6,300 due')
  const list = async (sort: 'due' | 'due-desc' | 'title', plan: { due: number; posts: number }, limit = 10) => (await listDue(app.db, until, sort, limit, plan)).map((r) => r.id)
  const byTitle = [...ids.slice(0, 5)].sort((a, b) => {
    const ta = titles[ids.indexOf(a)]!
    const tb = titles[ids.indexOf(b)]!
    return ta < tb ? -1 : ta > tb ? 1 : a - b
  })
  assert.deepEqual(await list('title', sorting), byTitle)
  assert.deepEqual(await list('title', walking), byTitle, 'walking the posts by title finds the same rows in the same order')
  assert.deepEqual(await list('title', walking, 2), byTitle.slice(0, 2))
  assert.deepEqual(await list('due', sorting), ids.slice(0, 5))
  assert.deepEqual(await list('due-desc', sorting), ids.slice(0, 5).reverse())
  assert.deepEqual(await list('due', sorting, 2), ids.slice(0, 2))

  // A post no longer published keeps its row but is neither counted nor listed.
  await app.db.updateTable('posts').set({ status: 'withdrawn' }).where('id', '=', ids[1]!).execute()
  assert.equal(await countDue(app.db, until), 4)
  const left = byTitle.filter((id) => id !== ids[1])
  assert.deepEqual(await list('title', sorting), left)
  assert.deepEqual(await list('title', walking), left)
  assert.deepEqual(await list('due', sorting), ids.slice(0, 5).filter((id) => id !== ids[1]))
})
