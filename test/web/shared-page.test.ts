// Shared page bodies (src/web/shared-page.ts): rendered once for everyone who sees the same, with
// each person's own parts added per request. Nothing of one person may reach another.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn, type Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { asCurrent, publishedPost, postRow } from '../posts/helpers.js'
import { COMMENT_EDIT_MS, postComment } from '../../src/comments/service.js'
import { hideItem } from '../../src/moderation/service.js'
import { feedKeyFor } from '../../src/feeds/keys.js'
import { bumpContentGeneration, dependsOn } from '../../src/web/page-cache.js'
import { bytesOf, viewShared } from '../../src/web/shared-page.js'
import { drainSearchQueue } from '../../src/search/indexer.js'
import { eventually } from '../helpers/smtp.js'

const userName = (html: string) => /<span class="user-name">([^<]*)<\/span>/.exec(html)?.[1]
const feedKeys = (html: string) => new Set([...html.matchAll(/\?key=([\w-]+)/g)].map((m) => m[1]))
const tokens = (html: string) => new Set([...html.matchAll(/name="_csrf" value="([^"]+)"/g)].map((m) => m[1]))

function assertOwn(page: string, name: string, feedKey: string, others: { name: string; feedKey: string; tokens: Set<string | undefined> }) {
  assert.doesNotMatch(page, /bbslot-|bbbody-/, 'every marker filled in')
  assert.equal(userName(page), name)
  assert.deepEqual([...feedKeys(page)], [feedKey], 'only their own feed key')
  assert.ok(!page.includes(others.feedKey))
  const own = tokens(page)
  assert.equal(own.size, 1, 'one token per page')
  for (const t of own) assert.ok(!others.tokens.has(t), 'never the other person\'s token')
}

test('a shared body never carries one person\'s name, token, feed key, bookmark, follow or comment to another', async (t) => {
  const app = await buildTestApp(t) // internal: everyone logged in
  const author = await makeUser(app, { displayName: 'Anne Forfatter' })
  const editor = await makeUser(app, { role: 'editor', displayName: 'Eli Redaktør' })
  const kariUser = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const olaUser = await makeUser(app, { username: 'ola', displayName: 'Ola Nordmann' })
  const perUser = await makeUser(app, { username: 'per', displayName: 'Per Hansen' })
  const postId = await publishedPost(app, author, editor, { title: 'Delt innlegg', tags: 'økonomi' })
  const { slug } = await postRow(app, postId)
  const postUrl = `/posts/${slug}`
  const [kari, ola, per, ed, authorClient] = await Promise.all([loggedIn(app, kariUser), loggedIn(app, olaUser), loggedIn(app, perUser), loggedIn(app, editor), loggedIn(app, author)])
  const keys = {
    kari: await feedKeyFor(app.db, app.config.sessionSecret, kariUser.id),
    ola: await feedKeyFor(app.db, app.config.sessionSecret, olaUser.id),
    per: await feedKeyFor(app.db, app.config.sessionSecret, perUser.id),
  }

  // Kari comments, keeps the post for later and follows the tag.
  assert.equal((await kari.post('/comments', { postId: String(postId), body: 'Karis egen kommentar – blåbær … 😀' }, { from: postUrl })).statusCode, 303)
  assert.equal((await kari.post(`/bookmarks/post/${postId}`, { next: postUrl }, { from: postUrl })).statusCode, 303)
  assert.equal((await kari.post(`/tags/${encodeURIComponent('økonomi')}/follow`, { next: '/' }, { from: '/' })).statusCode, 303)
  const authorUrl = `/users/${author.username}`
  assert.equal((await kari.post(`${authorUrl}/follow`, { next: authorUrl }, { from: authorUrl })).statusCode, 303)

  for (const url of ['/', postUrl, `/tags/${encodeURIComponent('økonomi')}`, authorUrl]) {
    // Ola first (the body is made for him), then Kari and Per from the same body, then Ola again.
    const o1 = (await ola.get(url)).body
    const k = (await kari.get(url)).body
    const p = (await per.get(url)).body
    const o2 = (await ola.get(url)).body
    assertOwn(o1, 'Ola Nordmann', keys.ola, { name: 'Kari Nordmann', feedKey: keys.kari, tokens: tokens(k) })
    assertOwn(k, 'Kari Nordmann', keys.kari, { name: 'Ola Nordmann', feedKey: keys.ola, tokens: tokens(o1) })
    assertOwn(p, 'Per Hansen', keys.per, { name: 'Kari Nordmann', feedKey: keys.kari, tokens: tokens(k) })
    assertOwn(o2, 'Ola Nordmann', keys.ola, { name: 'Per Hansen', feedKey: keys.per, tokens: tokens(p) })
    for (const page of [o1, p, o2]) {
      assert.doesNotMatch(page, /bookmark-button" aria-pressed="true"/, `${url}: nobody else's bookmark`)
      assert.doesNotMatch(page, /unfollow/, `${url}: nobody else's follow`)
      assert.doesNotMatch(page, /\/comments\/\d+\/delete/, `${url}: nobody else's delete button`)
      assert.doesNotMatch(page, /post-manage/, `${url}: no editor's tools`)
    }
    if (url === postUrl) {
      assert.match(k, /bookmark-button" aria-pressed="true"/, 'Kari\'s own bookmark')
      assert.match(k, /\/comments\/\d+\/delete/, 'Kari may delete her own comment')
      // Text beyond Latin-1 comes through the shared body's bytes whole.
      for (const page of [o1, p, o2]) assert.ok(page.includes('Karis egen kommentar – blåbær … 😀'))
      // What the page tells the layout (its title, Open Graph) comes with the shared body too.
      for (const page of [p, o2]) {
        assert.match(page, /<title>Delt innlegg – /)
        assert.match(page, /property="og:type" content="article"/)
      }
    }
    if (url.startsWith('/tags/')) assert.match(k, /unfollow/, 'Kari follows the tag')
    if (url === authorUrl) {
      assert.match(k, /unfollow/, 'Kari follows the author')
      for (const page of [o1, k, p, o2]) assert.ok(!page.includes(`${authorUrl}/edit`), 'nobody else may edit the profile')
      const own = (await authorClient.get(url)).body
      assert.ok(own.includes(`${authorUrl}/edit`), 'the person may edit their own')
      assert.equal(userName(own), 'Anne Forfatter')
    }
    // The editor's page is made for editors: their tools, their name.
    const e = (await ed.get(url)).body
    assert.equal(userName(e), 'Eli Redaktør')
    if (url === postUrl) assert.match(e, /post-manage/)
  }

  // A token from a shared page works for its own person only.
  const olaToken = [...tokens((await ola.get(postUrl)).body)][0]!
  assert.equal((await ola.post('/comments', { postId: String(postId), body: 'Olas svar', _csrf: olaToken })).statusCode, 303)
  assert.equal((await per.post('/comments', { postId: String(postId), body: 'Med Olas nøkkel', _csrf: olaToken })).statusCode, 403)
})

test('the front page is rendered once for many people and again after a change', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  await publishedPost(app, author, editor, { title: 'Første innlegg' })
  const people: Client[] = []
  for (let i = 0; i < 4; i++) people.push(await loggedIn(app, await makeUser(app)))
  for (const c of people) assert.match((await c.get('/')).body, /Første innlegg/)
  assert.equal(app.sharedBodies.size, 1, 'one body for four readers')
  // A post published by another process (no request here) shows on everyone's next page.
  await publishedPost(app, author, editor, { title: 'Andre innlegg' })
  for (const c of people) assert.match((await c.get('/')).body, /Andre innlegg/)
})

test('requests asking at once for a body that went stale wait for the one being made; one that saw a later change makes its own', async (t) => {
  // A page that shows how many posts were published; the first making of each step waits, after
  // counting, until the test lets it go (or fails it). The steps wait for what they can see (a
  // making begun), never for a number of turns: on PostgreSQL every query is a round trip.
  let gate: Promise<void> | undefined
  let made = 0
  const app = await buildTestApp(t, {}, (app) => {
    app.get('/test/shared', async (req, reply) => {
      dependsOn(req, 'posts')
      return viewShared(req, reply, 'home/index', async () => {
        const { n } = await app.db.selectFrom('posts').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow()
        if (made++ === 0) await gate
        return { title: 'Test', cards: [], later: false, feedLinks: [], introHtml: `<p>published: ${Number(n)}</p>` }
      })
    })
  })
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const people: Client[] = []
  for (let i = 0; i < 4; i++) people.push(await loggedIn(app, await makeUser(app)))
  for (const c of people.slice(0, 2)) assert.match((await c.get('/test/shared')).body, /published: 0/) // alone, then the body
  const begun = () => eventually(async () => made === 1, 5_000, 'the making to begin')
  const settle = () => new Promise((r) => setTimeout(r, 100)) // the other requests reach the body meanwhile
  let open!: () => void
  const step = (fails = false) => {
    made = 0
    gate = new Promise((resolve, reject) => (open = fails ? () => reject(new Error('made wrong')) : resolve))
    gate.catch(() => {})
  }

  // A post published elsewhere: the body is stale. Four readers at once; one makes it, three wait
  // (without the wait, each would make its own: only the first making is held).
  await publishedPost(app, author, editor, { title: 'Første' })
  step()
  const pages = people.map((c) => c.get('/test/shared'))
  await begun()
  await settle()
  open()
  for (const page of await Promise.all(pages)) assert.match(page.body, /published: 1/)
  assert.equal(made, 1, 'made once for the four')

  // Stale again; while it is being made another post is published. A reader who asks after that
  // change makes a body of their own that shows it, while the one begun before it is still held.
  await publishedPost(app, author, editor, { title: 'Andre' })
  step()
  const early = people[0]!.get('/test/shared')
  await begun()
  await publishedPost(app, author, editor, { title: 'Tredje' })
  const late = people[1]!.get('/test/shared').then((r) => r.body)
  assert.match(await Promise.race([late, new Promise<string>((r) => setTimeout(() => r('still waiting for the older body'), 3_000))]), /published: 3/)
  open()
  assert.match((await early).body, /published: 2/)
  assert.equal(made, 2)

  // A making that fails fails its own request; one waiting for it makes its own.
  await publishedPost(app, author, editor, { title: 'Fjerde' })
  step(true)
  const failing = people[2]!.get('/test/shared')
  await begun()
  const waiting = people[3]!.get('/test/shared')
  await settle()
  open()
  assert.equal((await failing).statusCode, 500)
  const after = await waiting
  assert.equal(after.statusCode, 200)
  assert.match(after.body, /published: 4/)
  assert.equal(made, 2)
  assert.equal(app.sharedMaking.size, 0, 'nothing left being made')
})

test('an anonymous reader of a public site gets the whole page kept, with no body kept besides it', async (t) => {
  const app = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const postId = await publishedPost(app, author, editor, { title: 'Åpent innlegg' })
  const { slug } = await postRow(app, postId)
  for (const url of ['/', `/posts/${slug}`]) {
    await app.inject({ url })
    bumpContentGeneration() // the kept page is dropped: the next is made again, by a reader seen before
    const made = await app.inject({ url })
    const kept = await app.inject({ url })
    assert.match(made.body, /Åpent innlegg/)
    assert.equal(kept.body, made.body, `${url}: the kept page`)
    assert.equal(kept.headers.etag, made.headers.etag)
  }
  assert.equal(app.sharedBodies.size, 0, 'nothing kept twice')
})

test('a page from a shared body is, byte for byte, the page made for the person alone', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const postId = await publishedPost(app, author, editor, { title: 'Lang samtale – «del 1»', body: 'Tekst – med tankestrek … og 😀.' })
  const { slug } = await postRow(app, postId)
  // Enough comments that the body is set aside in several pieces as it is rendered, in text beyond Latin-1.
  const writers = await Promise.all([1, 2, 3].map((i) => makeUser(app, { displayName: `Skribent ${i} Ærlig` })))
  const start = Date.now() - 3 * 3_600_000
  for (let i = 0; i < 30; i++) {
    await postComment(app.db, asCurrent(writers[i % 3]!), { postId, body: `Kommentar ${i} – blåbær … 😀 ${'ord '.repeat(120)}` }, new Date(start + i * 300_000))
  }
  const ola = await loggedIn(app, await makeUser(app, { displayName: 'Ola Nordmann' }))
  const kari = await loggedIn(app, await makeUser(app, { displayName: 'Kari Nordmann' }))
  const url = `/posts/${slug}`
  const sameToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="T"')
  const alone = (await ola.get(url)).body // the first reader: made for Ola alone
  assert.equal(app.sharedBodies.size, 0)
  await kari.get(url) // the second: the body is made to be shared
  const shared = (await ola.get(url)).body
  assert.equal(app.sharedBodies.size, 1)
  assert.ok(shared.length > 40_000, 'a page in several pieces')
  assert.match(shared, /Kommentar 29 – blåbær … 😀/)
  assert.equal(sameToken(shared), sameToken(alone))
})

test('a commenter reads the shared body with their own comments as they see them: byte for byte their page made alone, until an edit link\'s time is up', async (t) => {
  let fromShared = 0
  const app = await buildTestApp(t, {}, (app) => {
    app.addHook('onSend', (req, _reply, payload, done) => {
      if (req.pageParts) fromShared++
      done(null, payload)
    })
  })
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const postId = await publishedPost(app, author, editor, { title: 'Samtale' })
  const { slug } = await postRow(app, postId)
  const writerUser = await makeUser(app, { displayName: 'Skribent Ærlig' })
  const otherUser = await makeUser(app, { displayName: 'Annen Person' })
  const now = Date.now()
  const as = asCurrent(writerUser)
  // Past the time to edit; someone else's with the writer's reply under it; one the editors hid; one
  // whose time to edit runs out within seconds.
  const old = await postComment(app.db, as, { postId, body: 'Gammel kommentar' }, new Date(now - 3_600_000))
  const others = await postComment(app.db, asCurrent(otherUser), { postId, body: 'Annens kommentar' }, new Date(now - 3_000_000))
  const reply = await postComment(app.db, as, { postId, parentId: others.id, body: 'Svar fra skribenten' }, new Date(now - 2_000_000))
  const hidden = await postComment(app.db, as, { postId, body: 'Skjult kommentar' }, new Date(now - 1_000_000))
  await hideItem(app.db, asCurrent(editor, { isEditor: true }), 'comment', hidden.id, 'Personopplysninger')
  const [writer, ola] = await Promise.all([loggedIn(app, writerUser), loggedIn(app, await makeUser(app, { displayName: 'Ola Nordmann' }))])
  // Made last, right before the pages are read: its time to edit ends 3 s from now.
  const editEnds = Date.now() + 3_000
  const fresh = await postComment(app.db, as, { postId, body: 'Fersk kommentar' }, new Date(editEnds - COMMENT_EDIT_MS))
  const url = `/posts/${slug}`
  const sameToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="T"')
  const edits = (html: string) => [...html.matchAll(/\/comments\/(\d+)\/edit/g)].map((m) => Number(m[1])).sort()
  const deletes = (html: string) => [...html.matchAll(/\/comments\/(\d+)\/delete/g)].map((m) => Number(m[1])).sort()
  const reports = (html: string) => [...html.matchAll(/\/report\/comment\/(\d+)/g)].map((m) => Number(m[1])).sort()

  const alone = (await writer.get(url)).body // the first reader: made for the writer alone
  const o = (await ola.get(url)).body // the second: the body is made to be shared
  const shared = (await writer.get(url)).body
  assert.equal(fromShared, 2, 'Ola\'s page and the writer\'s second one came from the shared body')
  assert.ok(Date.now() < editEnds, 'the time to edit was not up yet (a very slow machine)')
  assert.equal(sameToken(shared), sameToken(alone))
  assert.deepEqual(edits(shared), [fresh.id])
  assert.deepEqual(deletes(shared), [old.id, reply.id, hidden.id, fresh.id].sort())
  assert.deepEqual(reports(shared), [others.id])
  assert.match(shared, /Skjult kommentar/)
  assert.match(shared, /Begrunnelse: Personopplysninger/)
  // Everyone else sees none of the writer's own: no edit or delete, the hidden one as a marker.
  assert.deepEqual([edits(o), deletes(o)], [[], []])
  assert.deepEqual(reports(o), [old.id, others.id, reply.id, fresh.id].sort())
  assert.doesNotMatch(o, /Skjult kommentar|Personopplysninger|bbslot-/)
  assert.match(o, /Skjult av redaksjonen\./)

  // Once the time to edit is up, the edit link is gone from the writer's next page (kept or not).
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, editEnds - Date.now()) + 50))
  const later = (await writer.get(url)).body
  assert.deepEqual(edits(later), [])
  assert.deepEqual(deletes(later), deletes(shared))
  assert.equal(fromShared, 3, 'from a body made again')
})

test('an editor who commented reads the editors\' shared body with their own comment as they see it, byte for byte their page made alone', async (t) => {
  let fromShared = 0
  const app = await buildTestApp(t, {}, (app) => {
    app.addHook('onSend', (req, _reply, payload, done) => {
      if (req.pageParts) fromShared++
      done(null, payload)
    })
  })
  const author = await makeUser(app)
  const eliUser = await makeUser(app, { role: 'editor', displayName: 'Eli Redaktør' })
  const postId = await publishedPost(app, author, eliUser, { title: 'Redaksjonens samtale' })
  const { slug } = await postRow(app, postId)
  const own = await postComment(app.db, asCurrent(eliUser, { isEditor: true }), { postId, body: 'Elis kommentar' })
  const others = await postComment(app.db, asCurrent(author), { postId, body: 'Forfatterens kommentar' })
  const [eli, frida] = await Promise.all([loggedIn(app, eliUser), loggedIn(app, await makeUser(app, { role: 'editor', displayName: 'Frida Redaktør' }))])
  const url = `/posts/${slug}`
  const sameToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="T"')
  const alone = (await eli.get(url)).body
  const f = (await frida.get(url)).body
  const shared = (await eli.get(url)).body
  assert.equal(fromShared, 2)
  assert.equal(sameToken(shared), sameToken(alone))
  assert.match(shared, new RegExp(`/comments/${own.id}/edit`))
  assert.doesNotMatch(f, /\/comments\/\d+\/(edit|delete)/, 'the other editor may hide, not edit or delete')
  for (const page of [shared, f]) for (const id of [own.id, others.id]) assert.match(page, new RegExp(`/moderation/comment/${id}/hide`))
})

test('of an owned part each reader gets their own rendering, with the values in it and none of the other\'s, at its very edges too', () => {
  // "a", a value, then owner 7's rendering "X" with a token at its end and everyone else's "Y" with a
  // token at its end, a value right after the part, "z"; then owner 9's part, "" or "Q" with a token.
  const body = {
    bytes: Buffer.from('aYz'),
    slots: [
      { at: 1, name: 'v', seq: 0 },
      { at: 2, name: 'csrf', region: 0, seq: 2 },
      { at: 2, name: 'v', seq: 3 },
    ],
    regions: [
      { owner: 7, at: 1, end: 2, seq: 1, own: { bytes: Buffer.from('X'), slots: [{ at: 1, name: 'csrf' }] } },
      { owner: 9, at: 3, end: 3, seq: 4, own: { bytes: Buffer.from('Q'), slots: [{ at: 1, name: 'csrf' }] } },
    ],
    owners: new Set([7, 9]),
  }
  const values = new Map([['csrf', 'T'], ['v', 'V']])
  const page = (reader: number, size: number) => bytesOf({ frame: { head: ['<'], tail: ['>'] }, body, values, reader, size }).toString()
  assert.equal(page(7, 8), '<aVXTVz>')
  assert.equal(page(8, 8), '<aVYTVz>')
  assert.equal(page(-1, 8), '<aVYTVz>')
  assert.equal(page(9, 10), '<aVYTVzQT>')
})

test('the layout around a shared body is shared too, with each person\'s name, link, unread count and colour scheme', async (t) => {
  const app = await buildTestApp(t)
  const anneUser = await makeUser(app, { username: 'anne', displayName: 'Anne <Forfatter> & "Co"' })
  const editor = await makeUser(app, { role: 'editor' })
  const kariUser = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const olaUser = await makeUser(app, { username: 'ola', displayName: 'Ola Ærlig' })
  const postId = await publishedPost(app, anneUser, editor, { title: 'Rammer', tags: 'ramme' })
  const { slug } = await postRow(app, postId)
  const [anne, kari, ola] = await Promise.all([loggedIn(app, anneUser), loggedIn(app, kariUser), loggedIn(app, olaUser)])
  // Kari's comment gives Anne an unread notification; Ola reads in the dark.
  assert.equal((await kari.post('/comments', { postId: String(postId), body: 'Fin tekst' }, { from: `/posts/${slug}` })).statusCode, 303)
  assert.equal((await ola.post('/settings/theme', { theme: 'dark', next: '/' }, { from: '/' })).statusCode, 303)
  const sameToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/g, 'name="_csrf" value="T"')
  const badge = (html: string) => /<span class="badge">(\d+)/.exec(html)?.[1]

  for (const url of [`/tags/${encodeURIComponent('ramme')}`, '/micro', '/']) {
    const alone = { anne: (await anne.get(url)).body } // the first reader: made for Anne alone, layout included
    await kari.get(url) // the body is made to be shared, and its frame for Kari's kind
    for (let round = 0; round < 2; round++) { // the second round from kept frames
      // A parameter the page does not read: the same body, but no page kept for the session answers.
      const get = (c: Client) => c.get(`${url}?round=${round}`)
      const responses = { anne: await get(anne), kari: await get(kari), ola: await get(ola) }
      for (const res of Object.values(responses)) assert.equal(res.headers['content-type'], 'text/html; charset=utf-8')
      const pages = { anne: responses.anne.body, kari: responses.kari.body, ola: responses.ola.body }
      assert.equal(sameToken(pages.anne), sameToken(alone.anne), `${url}: from a shared frame, byte for byte the page made for Anne alone`)
      assert.equal(userName(pages.anne), 'Anne &lt;Forfatter&gt; &amp; &quot;Co&quot;')
      assert.equal(userName(pages.kari), 'Kari Nordmann')
      assert.equal(userName(pages.ola), 'Ola Ærlig')
      for (const [who, page] of Object.entries(pages)) {
        assert.doesNotMatch(page, /bbslot-|bbbody-/, `${who}: every marker filled in`)
        assert.match(page, new RegExp(`href="/users/${who}"`), `${who}: a link to their own profile`)
      }
      assert.equal(badge(pages.anne), badge(alone.anne))
      assert.ok(Number(badge(pages.anne)) >= 1, 'Anne has unread notifications')
      assert.equal(badge(pages.kari), undefined)
      assert.match(pages.ola, /<html lang="nb" data-theme="dark">/)
      assert.doesNotMatch(pages.kari, /data-theme/)
    }
  }
  // A new display name shows on the next page, from the same frame.
  await app.db.updateTable('users').set({ display_name: 'Kari N.' }).where('id', '=', kariUser.id).execute()
  assert.equal(userName((await kari.get('/micro?round=2')).body), 'Kari N.')
})

test('past the cap the badge says "99+" on a page from a shared layout too', async (t) => {
  const app = await buildTestApp(t)
  const [anneUser, kariUser] = await Promise.all([makeUser(app, { username: 'anne' }), makeUser(app, { username: 'kari' })])
  const now = new Date().toISOString()
  await app.db.insertInto('notifications').values(Array.from({ length: 120 }, (_, i) => ({
    user_id: anneUser.id, kind: 'comment', subject_type: 'post', subject_id: i + 1, created_at: now, updated_at: now, read_at: null,
  }))).execute()
  const [anne, kari] = await Promise.all([loggedIn(app, anneUser), loggedIn(app, kariUser)])
  const badge = (html: string) => /<span class="badge">([^<]+)/.exec(html)?.[1]
  assert.equal(badge((await anne.get('/micro')).body), '99+', 'made for Anne alone')
  await kari.get('/micro') // shared from now on
  for (let i = 0; i < 2; i++) assert.equal(badge((await anne.get(`/micro?round=${i}`)).body), '99+', 'from a shared layout')
  assert.equal(badge((await kari.get('/micro?round=0')).body), undefined)
})

test('a search page is made once for everyone and kept while its answer holds: a change that cannot alter it keeps it, one that can makes it again', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const canteen = await publishedPost(app, author, editor, { title: 'Kantina åpner' })
  const parking = await publishedPost(app, author, editor, { title: 'Parkering i sentrum' })
  const people: Client[] = []
  for (let i = 0; i < 4; i++) people.push(await loggedIn(app, await makeUser(app)))
  let made = 0
  const keep = app.sharedBodies.set.bind(app.sharedBodies)
  app.sharedBodies.set = (...args) => { made++; return keep(...args) }
  // (Hits are highlighted: <mark>Kantina</mark> åpner.)
  const everyone = async (check: RegExp) => { for (const c of people) assert.match((await c.get('/search?q=kantina')).body, check) }

  await everyone(/åpner/)
  assert.equal(made, 1, 'one body for four readers (the first page was made for the first reader alone)')
  const bodies = app.sharedBodies.size
  // A comment without the word: the answer holds, and so does its body (each person's kept page does not).
  await postComment(app.db, asCurrent(author), { postId: parking, body: 'Fint å sykle i dag' })
  await everyone(/åpner/)
  assert.equal(made, 1, 'kept through a change that cannot alter the answer')
  // A comment with the word: a new answer, made once again for everyone, with the comment in it.
  await postComment(app.db, asCurrent(author), { postId: canteen, body: 'Kantinakaffen er best' })
  await everyone(/Kantinakaffen/)
  assert.equal(made, 2, 'made again once when the answer changed')
  // What every page depends on (here the settings) makes it again too, the answer unchanged.
  await app.settings.update({ siteTagline: 'Nytt fra kantina' }, null)
  await everyone(/Kantinakaffen/)
  assert.equal(made, 3, 'made again after a change to the settings')
  assert.equal(app.sharedBodies.size, bodies, 'each new version in the place of the old')
  // A query longer than any popular one is not shared: its address would be kept as a key.
  const asked = app.sharedAskedFor.size
  for (const c of people) assert.equal((await c.get(`/search?q=${encodeURIComponent(`kantina ${'€'.repeat(600)}`)}`)).statusCode, 200)
  assert.equal(app.sharedAskedFor.size, asked)
  assert.equal(made, 3)
  // The page before a search: shared too, with each person's own token in its forms.
  for (const c of people) assert.match((await c.get('/search')).body, /id="search_q" name="q" value=""/)
  assert.equal(made, 4, 'one body for the empty search page')
})

test('a search page made while documents wait to be indexed is not kept, and the next one after the index caught up shows them', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app)
  const people: Client[] = []
  for (let i = 0; i < 3; i++) people.push(await loggedIn(app, await makeUser(app)))
  let made = 0
  const keep = app.sharedBodies.set.bind(app.sharedBodies)
  app.sharedBodies.set = (...args) => { made++; return keep(...args) }
  // An import: more than one batch waits, so the answer is not kept (src/search/kept-answers.ts).
  const now = new Date().toISOString()
  await app.db.insertInto('micro_posts').values(Array.from({ length: 450 }, (_, i) => ({ author_id: kari.id, body: `Kantina ${i}`, body_html: `<p>Kantina ${i}</p>`,
    created_at: now, reply_to_id: null, root_id: null, deleted_at: null, hidden_at: null, hidden_by: null, hidden_reason: null }))).execute()
  // Each request indexes one batch (200) first: two requests leave documents waiting.
  for (const c of people.slice(0, 2)) assert.equal((await c.get('/search?q=kantina&type=micro')).statusCode, 200)
  assert.equal(made, 0, 'no body kept from an answer that is not kept')
  await drainSearchQueue(app.db) // the job, with no change to tell anyone
  for (const c of people) assert.match((await c.get('/search?q=kantina&type=micro')).body, /<\/mark> 449\b/) // the newest, highlighted
})
