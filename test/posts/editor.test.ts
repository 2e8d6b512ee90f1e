import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { publishGuidelines } from '../../src/guidelines/service.js'
import { asCurrent, auditOf, FODSELSNUMMER, postRow, publishedPost, writePost } from './helpers.js'

const count = async (app: Awaited<ReturnType<typeof buildTestApp>>, table: 'posts' | 'post_revisions') =>
  Number((await app.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

test('an employee writes a draft: slug from the title, tags normalised, a revision kept', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const page = await c.get('/posts/new')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1>Skriv nytt innlegg<\/h1>/)
  assert.match(page.body, /enctype="multipart\/form-data"/)

  const { res, id } = await writePost(c, { title: 'Blåbær og økonomi', tags: 'IKT, Sosiale medier, ikt', body: '## Mål\n\nVi skal spare.' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/posts/${id}/edit?saved=draft`)
  const row = await postRow(app, id)
  assert.equal(row.slug, 'blabaer-og-okonomi')
  assert.equal(row.status, 'draft')
  assert.equal(row.body_html, '<h2 id="mal">Mål</h2>\n<p>Vi skal spare.</p>\n')
  assert.equal(row.summary, 'Vi skal spare.', 'the lead is derived from the body when empty')
  const tags = await app.db.selectFrom('tags').select(['name', 'post_count']).orderBy('name').execute()
  assert.deepEqual(tags, [{ name: 'ikt', post_count: 0 }, { name: 'sosiale-medier', post_count: 0 }], 'drafts do not count')
  const revisions = await app.db.selectFrom('post_revisions').selectAll().where('post_id', '=', id).execute()
  assert.equal(revisions.length, 1)
  assert.equal(revisions[0]!.tags, 'ikt,sosiale-medier')
  assert.equal(row.revision_id, revisions[0]!.id)

  const edit = await c.get(String(res.headers.location))
  assert.match(edit.body, /Utkastet er lagret/)
  assert.match(edit.body, /value="Blåbær og økonomi"/)
  assert.match(edit.body, /Vi skal spare\.<\/textarea>/)
  const again = await c.post(`/posts/${id}/edit`, { title: 'Blåbær og økonomi', body: 'Ny tekst.', tags: 'ikt', slug: 'blabaer-og-okonomi', action: 'save' })
  assert.equal(again.statusCode, 303)
  assert.equal(await count(app, 'post_revisions'), 2, 'every save keeps a revision')
  assert.deepEqual((await app.db.selectFrom('post_tags').select('tag_id').where('post_id', '=', id).execute()).length, 1, 'retagged')
})

test('bad input comes back with the message beside the field and every field kept', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const body = 'Dette er teksten min, den må ikke bli borte.\n\n> sitat & «anførsel»'
  const empty = await c.post('/posts/new', { title: '  ', body, lead: 'Ingressen', tags: 'ok, <script>', action: 'save' }, { from: '/posts/new' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /id="error_summary"/)
  assert.match(empty.body, /<a href="#f_title">Skriv en tittel\.<\/a>/)
  assert.match(empty.body, /<p class="error-message" id="f_title-error">Skriv en tittel\.<\/p>/)
  assert.match(empty.body, /<p class="error-message" id="f_tags-error">Stikkord kan bare ha bokstaver/)
  assert.match(empty.body, /den må ikke bli borte\.\n\n&gt; sitat &amp; «anførsel»<\/textarea>/, 'the body is kept (escaped)')
  assert.match(empty.body, />Ingressen<\/textarea>/)
  assert.match(empty.body, /value="ok, &lt;script&gt;"/)
  assert.match(empty.body, /aria-invalid="true"/)

  const long = await c.post('/posts/new', { title: 'x'.repeat(201), body, action: 'save' }, { from: '/posts/new' })
  assert.equal(long.statusCode, 422)
  assert.match(long.body, /Tittelen kan ha høyst 200 tegn/)
  assert.match(long.body, new RegExp(`value="${'x'.repeat(201)}"`))
  const longBody = await c.post('/posts/new', { title: 'Lang', body: 'å'.repeat(100_001), action: 'save' }, { from: '/posts/new' })
  assert.equal(longBody.statusCode, 422)
  assert.match(longBody.body, /Teksten er for lang/)
  const longLead = await c.post('/posts/new', { title: 'Lang', body, lead: 'l'.repeat(601), action: 'save' }, { from: '/posts/new' })
  assert.match(longLead.body, /Ingressen kan ha høyst 600 tegn/)
  assert.equal(await count(app, 'posts'), 0, 'nothing was saved')
})

test('slug: unique, editable until first publication, and an old slug redirects', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const c = await loggedIn(app, author)
  const a = await writePost(c, { title: 'Samme tittel' })
  const b = await writePost(c, { title: 'Samme tittel' })
  assert.equal((await postRow(app, a.id)).slug, 'samme-tittel')
  assert.equal((await postRow(app, b.id)).slug, 'samme-tittel-2')
  const taken = await c.post(`/posts/${b.id}/edit`, { title: 'Samme tittel', body: 'x', slug: 'samme-tittel', action: 'save' }, { from: `/posts/${b.id}/edit` })
  assert.equal(taken.statusCode, 422)
  assert.match(taken.body, /Adressen er allerede i bruk/)
  const bad = await c.post(`/posts/${b.id}/edit`, { title: 'Samme tittel', body: 'x', slug: 'Æ Ø Å', action: 'save' }, { from: `/posts/${b.id}/edit` })
  assert.match(bad.body, /Adressen kan bare ha små bokstaver/)
  const own = await c.post(`/posts/${b.id}/edit`, { title: 'Samme tittel', body: 'x', slug: 'min-egen-adresse', action: 'save' })
  assert.equal(own.statusCode, 303)
  assert.equal((await postRow(app, b.id)).slug, 'min-egen-adresse')

  // Published: the author can no longer change the slug; an editor can, and the old one redirects.
  const pub = await publishedPost(app, author, editor, { title: 'Publisert tittel' })
  const authorEdit = await c.get(`/posts/${pub}/edit`)
  assert.doesNotMatch(authorEdit.body, /name="slug"/)
  const ed = await loggedIn(app, editor)
  const editorEdit = await ed.get(`/posts/${pub}/edit`)
  assert.match(editorEdit.body, /name="slug"/)
  const moved = await ed.post(`/posts/${pub}/edit`, { title: 'Publisert tittel', body: 'Tekst.', slug: 'ny-adresse', action: 'save' })
  assert.equal(moved.statusCode, 303)
  assert.equal(moved.headers.location, `/posts/${pub}/edit?saved=live`)
  const old = await c.get('/posts/publisert-tittel')
  assert.equal(old.statusCode, 301)
  assert.equal(old.headers.location, '/posts/ny-adresse')
  assert.equal((await c.get('/posts/ny-adresse')).statusCode, 200)
  const events = await auditOf(app, pub)
  assert.equal(events.at(-1)?.action, 'post.edit')
  assert.match(events.at(-1)?.note ?? '', /publisert-tittel → ny-adresse/)
})

test('preview: the button saves the draft first and renders it; the live preview needs the CSRF header', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const body = `## Mellomtittel\n\nRing ${FODSELSNUMMER} <script>alert(1)</script>`
  const preview = await c.post('/posts/new', { title: 'Forhåndsvist', body, tags: 'ikt', action: 'preview' }, { from: '/posts/new' })
  assert.equal(preview.statusCode, 200)
  assert.match(preview.body, /<h2 id="mellomtittel">Mellomtittel<\/h2>/)
  assert.match(preview.body, /<h2 class="post-title">Forhåndsvist<\/h2>/)
  assert.doesNotMatch(preview.body, /<script>alert/, 'sanitized')
  assert.match(preview.body, /Alvorlig:<\/strong> Teksten ser ut til å inneholde et fødselsnummer/)
  assert.match(preview.body, /010190\*\*\*\*\*/, 'the number is masked in the finding')
  assert.equal(await count(app, 'posts'), 1, 'looking never loses text: the draft is saved')
  assert.match(preview.body, /action="\/posts\/\d+\/edit"/, 'the form goes on with the saved draft')
  const untitled = await c.post('/posts/new', { title: '', body: 'Uten tittel', action: 'preview' }, { from: '/posts/new' })
  assert.equal(untitled.statusCode, 200, 'a text that cannot be saved yet is still shown')
  assert.match(untitled.body, /<p>Uten tittel<\/p>/)
  assert.equal(await count(app, 'posts'), 1)

  const token = c.csrf()
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const live = await app.inject({
    method: 'POST', url: '/posts/preview', payload: new URLSearchParams({ title: 'Live', body: '**fet**' }).toString(),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token },
  })
  assert.equal(live.statusCode, 200)
  assert.match(live.body, /<strong>fet<\/strong>/)
  assert.doesNotMatch(live.body, /<html/, 'a fragment, not a page')
  const forged = await app.inject({
    method: 'POST', url: '/posts/preview', payload: 'title=x&body=y',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  })
  assert.equal(forged.statusCode, 403)
})

test('the guidelines come first: the new-post page asks until the current version is accepted', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  await publishGuidelines(app.db, asCurrent(editor, { isEditor: true }), { body: 'Vær saklig.', note: '' })
  const c = await loggedIn(app, await makeUser(app))
  const first = await c.get('/posts/new')
  assert.equal(first.statusCode, 303)
  assert.equal(first.headers.location, '/guidelines/accept?next=%2Fposts%2Fnew')
  const accept = await c.get(String(first.headers.location))
  const versionId = /name="versionId" value="(\d+)"/.exec(accept.body)![1]!
  const accepted = await c.post('/guidelines/accept', { versionId, next: '/posts/new' })
  assert.equal(accepted.headers.location, '/posts/new')
  assert.equal((await c.get('/posts/new')).statusCode, 200)
})

test("nobody edits someone else's draft, and other employees do not even see it", async (t) => {
  const app = await buildTestApp(t)
  const author = await loggedIn(app, await makeUser(app))
  const { id } = await writePost(author, { title: 'Hemmelig utkast', body: 'Original.' })
  const other = await loggedIn(app, await makeUser(app))
  await other.get('/')
  for (const url of [`/posts/${id}/edit`, '/posts/hemmelig-utkast', `/posts/${id}/history`, `/posts/${id}/submit`]) {
    assert.equal((await other.get(url)).statusCode, 404, url)
  }
  const sneaky = await other.post(`/posts/${id}/edit`, { title: 'Kapret', body: 'Endret', action: 'save' })
  assert.equal(sneaky.statusCode, 404)
  // A draft never sent for review is its author's own: editors neither see nor delete it.
  const ed = await loggedIn(app, await makeUser(app, { role: 'editor' }))
  for (const url of ['/posts/hemmelig-utkast', `/posts/${id}/history`, `/posts/${id}/edit`]) {
    assert.equal((await ed.get(url)).statusCode, 404, url)
  }
  assert.equal((await ed.post(`/posts/${id}/edit`, { title: 'Kapret', body: 'Endret', action: 'save' }, { from: '/' })).statusCode, 404)
  assert.equal((await ed.post(`/posts/${id}/delete`, {}, { from: '/' })).statusCode, 404)
  const row = await postRow(app, id)
  assert.equal(row.title, 'Hemmelig utkast')
  assert.equal(row.body_md, 'Original.')
})

test('saving without a CSRF token is refused and saves nothing', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/posts/new')
  const res = await c.post('/posts/new', { title: 'Uten token', body: 'x', action: 'save' }, { csrf: false })
  assert.equal(res.statusCode, 403)
  assert.match(res.body, /Skjemaet var utløpt/)
  assert.equal(await count(app, 'posts'), 0)
  const anonymous = new Client(app)
  assert.equal((await anonymous.get('/posts/new')).statusCode, 303, 'login first')
})

test('history: revisions with who and when, a diff between any two, and restore', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app, { displayName: 'Kari Forfatter' }))
  const { id } = await writePost(c, { title: 'Versjoner', body: 'Første avsnitt.\n\nAndre avsnitt.' })
  await c.post(`/posts/${id}/edit`, { title: 'Versjoner', body: 'Første avsnitt.\n\nAndre avsnitt, endret.', tags: 'ikt', slug: 'versjoner', action: 'save' }, { from: `/posts/${id}/edit` })
  const revs = await app.db.selectFrom('post_revisions').select('id').where('post_id', '=', id).orderBy('id').execute()
  assert.equal(revs.length, 2)
  const history = await c.get(`/posts/${id}/history`)
  assert.equal(history.statusCode, 200)
  assert.match(history.body, /Historikk: Versjoner/)
  assert.equal((history.body.match(/<td>Kari Forfatter<\/td>/g) ?? []).length, 2)
  assert.match(history.body, /<input type="radio" name="from"/)

  const diff = await c.get(`/posts/${id}/diff?from=${revs[0]!.id}&to=${revs[1]!.id}`)
  assert.equal(diff.statusCode, 200)
  assert.match(diff.body, /<ins><span class="visually-hidden">Lagt til: <\/span>, endret<\/ins>/)
  assert.match(diff.body, /<h2>Stikkord<\/h2>/)
  assert.doesNotMatch(diff.body, /<h2>Tittel<\/h2>/, 'unchanged fields are left out')

  const view = await c.get(`/posts/${id}/revisions/${revs[0]!.id}`)
  assert.match(view.body, /Gjenopprett denne versjonen/)
  const restored = await c.post(`/posts/${id}/revisions/${revs[0]!.id}/restore`, {})
  assert.equal(restored.statusCode, 303)
  assert.equal(restored.headers.location, `/posts/${id}/edit?restored=1`)
  const row = await postRow(app, id)
  assert.equal(row.body_md, 'Første avsnitt.\n\nAndre avsnitt.')
  const newest = await app.db.selectFrom('post_revisions').selectAll().where('post_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow()
  assert.equal(newest.restored_from, revs[0]!.id)
  assert.equal(newest.tags, '', 'the old tags come back too')
  assert.equal((await c.get(`/posts/${id}/diff?from=${revs[0]!.id}&to=999`)).statusCode, 404)
})

test('delete: the author deletes a draft; its audit entry stays; a published post cannot be deleted', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const c = await loggedIn(app, author)
  const { id } = await writePost(c, { title: 'Skal bort' })
  const res = await c.post(`/posts/${id}/delete`, {}, { from: '/my/posts' })
  assert.equal(res.statusCode, 303)
  assert.equal(await count(app, 'posts'), 0)
  assert.equal(await count(app, 'post_revisions'), 0)
  const events = await auditOf(app, id)
  assert.deepEqual(events.map((e) => [e.action, e.from_state, e.to_state, e.note]), [['post.delete', 'draft', 'deleted', 'Skal bort']])

  const pub = await publishedPost(app, author, editor)
  const ed = await loggedIn(app, editor)
  const refused = await ed.post(`/posts/${pub}/delete`, {}, { from: '/' })
  assert.equal(refused.statusCode, 409)
  assert.match(refused.body, /kan ikke slettes/)
})

test('delete: an editor deletes someone else\'s withdrawn post from its page; other employees cannot', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const other = await makeUser(app)
  const id = await publishedPost(app, author, editor, { title: 'Gammel nyhet' })
  const slug = (await postRow(app, id)).slug
  const ed = await loggedIn(app, editor)
  const live = await ed.get(`/posts/${slug}`)
  assert.doesNotMatch(live.body, new RegExp(`action="/posts/${id}/delete"`), 'a live post is withdrawn first: no delete button')
  await ed.post(`/editorial/posts/${id}/withdraw`, { note: 'Utdatert.' }, { from: `/posts/${slug}` })

  const page = await ed.get(`/posts/${slug}`)
  assert.match(page.body, new RegExp(`<form method="post" action="/posts/${id}/delete"[^>]*data-confirm=`))
  const stranger = await loggedIn(app, other)
  assert.equal((await stranger.get(`/posts/${slug}`)).statusCode, 404, 'a withdrawn post is not theirs to see')
  assert.equal((await stranger.post(`/posts/${id}/delete`, {}, { from: '/my/posts' })).statusCode, 404)
  assert.equal((await postRow(app, id)).status, 'withdrawn')

  const res = await ed.post(`/posts/${id}/delete`, {}, { from: `/posts/${slug}` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/editorial?notice=posts.deleted')
  assert.match((await ed.get(res.headers.location as string)).body, /Innlegget er slettet\./)
  assert.equal(await count(app, 'posts'), 0)
  const events = await auditOf(app, id)
  assert.deepEqual(events.at(-1) && [events.at(-1)!.action, events.at(-1)!.from_state, events.at(-1)!.to_state], ['post.delete', 'withdrawn', 'deleted'])
  const told = await (await loggedIn(app, author)).get('/notifications')
  assert.match(told.body, /Redaksjonen har slettet innlegget ditt «Gammel nyhet»/, 'the author is told')
})

test('a text nested thousands of levels deep gets a message beside the field, not an error page', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  for (const body of ['>'.repeat(3000) + ' dypt', '- '.repeat(2500) + 'dypt']) {
    const res = await c.post('/posts/new', { title: 'Dypt', body, tags: '', lead: '', action: 'save' }, { from: '/posts/new' })
    assert.equal(res.statusCode, 422)
    assert.match(res.body, /for mange nivåer av sitater eller lister/)
    assert.ok(res.body.includes('dypt</textarea>'), 'the text is kept')
    const preview = await c.post('/posts/preview', { title: 'Dypt', body, tags: '', lead: '' }, { from: '/posts/new' })
    assert.equal(preview.statusCode, 200, 'the live preview shows it as plain text')
  }
  // Ordinary nesting is fine.
  const ok = await c.post('/posts/new', { title: 'Lister', body: '> sitat\n> > i sitat\n\n- a\n  - b\n    - c', tags: '', lead: '', action: 'save' }, { from: '/posts/new' })
  assert.equal(ok.statusCode, 303)
})

test('history numbers each post\'s own versions 1, 2, 3 however other posts were saved in between', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const a = await writePost(c, { title: 'Første innlegg' })
  const b = await writePost(c, { title: 'Andre innlegg' })
  for (const n of [2, 3]) {
    await c.post(`/posts/${a.id}/edit`, { title: `Første innlegg v${n}`, body: 'Tekst.', tags: '', lead: '', action: 'save' }, { from: `/posts/${a.id}/edit` })
    await c.post(`/posts/${b.id}/edit`, { title: `Andre innlegg v${n}`, body: 'Tekst.', tags: '', lead: '', action: 'save' }, { from: `/posts/${b.id}/edit` })
  }
  const history = await c.get(`/posts/${b.id}/history`)
  const shown = [...history.body.matchAll(/revisions\/\d+">#(\d+) /g)].map((m) => Number(m[1]))
  assert.deepEqual(shown, [3, 2, 1])
  const revs = await app.db.selectFrom('post_revisions').select('id').where('post_id', '=', b.id).orderBy('id').execute()
  assert.match((await c.get(`/posts/${b.id}/revisions/${revs[1]!.id}`)).body, /<title>Versjon 2 – Betablogg<\/title>/)
  assert.match((await c.get(`/posts/${b.id}/diff?from=${revs[0]!.id}&to=${revs[2]!.id}`)).body, /Versjon 1[\s\S]*Versjon 3|1[^0-9]+3/)
})

test('a change to a published post that its author has not sent is theirs alone, like a draft', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const id = await publishedPost(app, author, editor, { title: 'Live tittel' })
  const a = await loggedIn(app, author)
  const saved = await a.post(`/posts/${id}/edit`, { title: 'Hemmelig ny tittel', body: 'Ny tekst.', tags: '', lead: '', action: 'save' }, { from: `/posts/${id}/edit` })
  assert.equal(saved.statusCode, 303)
  const row = await postRow(app, id)
  assert.equal(row.edit_status, 'draft')
  const pending = row.edit_revision_id!

  assert.match((await a.get(`/posts/${id}/history`)).body, /Hemmelig ny tittel/, 'the author sees it')
  const ed = await loggedIn(app, editor)
  const history = await ed.get(`/posts/${id}/history`)
  assert.equal(history.statusCode, 200)
  assert.doesNotMatch(history.body, /Hemmelig ny tittel/)
  assert.match(history.body, /Live tittel/)
  assert.equal((await ed.get(`/posts/${id}/revisions/${pending}`)).statusCode, 404)
  assert.equal((await ed.get(`/posts/${id}/diff?from=${row.published_revision_id}&to=${pending}`)).statusCode, 404)
  assert.doesNotMatch((await ed.get(`/editorial/posts/${id}`)).body, /Hemmelig ny tittel/)
})
