// Autosave, the version check of every save (two tabs, two people), and the editor's image upload.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn, type Client } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { postMultipart } from '../uploads/multipart.js'
import { solid } from '../uploads/fixtures.js'
import { publishedPost, postRow } from './helpers.js'

/** An autosave as static/editor.js sends it: url-encoded fields, the CSRF token in a header. */
async function autosave(c: Client, url: string, fields: Record<string, string>, csrf: string | false = c.csrf()) {
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const headers: Record<string, string> = { cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  if (csrf) headers['x-csrf-token'] = csrf
  return c.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers })
}

const revisions = (app: FastifyInstance, postId: number) =>
  app.db.selectFrom('post_revisions').select(['id', 'title', 'body_md']).where('post_id', '=', postId).orderBy('id').execute()

test('autosave: a new post becomes a draft; unchanged text makes no revision; the time is Oslo time', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/posts/new')
  const untitled = await autosave(c, '/posts/new/autosave', { title: '', body: 'Bare tekst' })
  assert.equal(untitled.statusCode, 422)
  assert.match(untitled.json().message, /^Ikke lagret ennå: Skriv en tittel/)

  const first = await autosave(c, '/posts/new/autosave', { title: 'Autolagret', body: '## Start\n\nTekst' })
  assert.equal(first.statusCode, 200)
  const saved = first.json() as { id: number; revisionId: number; status: string; editUrl: string; autosaveUrl: string; savedAt: string }
  assert.equal(saved.editUrl, `/posts/${saved.id}/edit`)
  assert.equal(saved.autosaveUrl, `/posts/${saved.id}/autosave`)
  const oslo = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(saved.savedAt))
  assert.equal(saved.status, `Lagret ${oslo}`)
  assert.equal((await postRow(app, saved.id)).status, 'draft')

  const again = await autosave(c, saved.autosaveUrl, { title: 'Autolagret', body: '## Start\n\nTekst', baseRevision: String(saved.revisionId) })
  assert.equal(again.json().revisionId, saved.revisionId, 'the same text: no new revision')
  const more = await autosave(c, saved.autosaveUrl, { title: 'Autolagret', body: '## Start\n\nMer tekst', baseRevision: String(saved.revisionId) })
  assert.equal(more.statusCode, 200)
  assert.notEqual(more.json().revisionId, saved.revisionId)
  assert.equal((await revisions(app, saved.id)).length, 2)
  assert.equal((await postRow(app, saved.id)).body_md, '## Start\n\nMer tekst')

  const page = await c.get(`/posts/${saved.id}/edit`)
  assert.match(page.body, new RegExp(`name="baseRevision" value="${more.json().revisionId}"`), 'the editor carries the version it shows')
  assert.match(page.body, new RegExp(`data-autosave-url="/posts/${saved.id}/autosave"`))
})

test('two tabs: a save based on an old version is refused with both versions, by JSON and by the form', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/posts/new')
  const created = (await autosave(c, '/posts/new/autosave', { title: 'Felles', body: 'Første versjon' })).json() as { id: number; revisionId: number }
  const url = `/posts/${created.id}/autosave`
  const base = String(created.revisionId)
  const tabA = await autosave(c, url, { title: 'Felles', body: 'Fra fane A', baseRevision: base })
  assert.equal(tabA.statusCode, 200)

  const tabB = await autosave(c, url, { title: 'Felles', body: 'Fra fane B <b>', baseRevision: base })
  assert.equal(tabB.statusCode, 409)
  const conflict = tabB.json() as { conflict: boolean; revisionId: number; message: string; html: string }
  assert.equal(conflict.conflict, true)
  assert.equal(conflict.revisionId, tabA.json().revisionId)
  assert.equal(conflict.message, 'Innlegget er endret et annet sted')
  assert.match(conflict.html, /Din versjon[\s\S]*Fra fane B &lt;b&gt;[\s\S]*Den lagrede versjonen[\s\S]*Fra fane A/, 'both versions, escaped')
  assert.match(conflict.html, /<del>[\s\S]*A[\s\S]*<\/del>[\s\S]*<ins>/, 'and the differences')
  assert.equal((await postRow(app, created.id)).body_md, 'Fra fane A', 'no silent overwrite')

  // The same text as the latest version is no conflict.
  assert.equal((await autosave(c, url, { title: 'Felles', body: 'Fra fane A', baseRevision: base })).statusCode, 200)

  // The plain form: the page comes back (409) with my text kept, both versions, and the latest version.
  await c.get(`/posts/${created.id}/edit`)
  const form = await c.post(`/posts/${created.id}/edit`, { title: 'Felles', body: 'Fra skjemaet', baseRevision: base, action: 'save' })
  assert.equal(form.statusCode, 409)
  assert.match(form.body, /role="alert"[\s\S]*Innlegget er endret et annet sted/)
  assert.match(form.body, /<textarea id="f_body" name="body"[^>]*>Fra skjemaet<\/textarea>/, 'my text is kept in the form')
  assert.match(form.body, /data-conflict-body="theirs">Fra fane A</)
  assert.match(form.body, new RegExp(`name="baseRevision" value="${conflict.revisionId}"`))
  assert.equal((await postRow(app, created.id)).body_md, 'Fra fane A')
  const keep = await c.post(`/posts/${created.id}/edit`, { title: 'Felles', body: 'Fra skjemaet', baseRevision: String(conflict.revisionId), action: 'save' })
  assert.equal(keep.statusCode, 303, 'saving again over the version now seen is a choice, and allowed')
  assert.equal((await postRow(app, created.id)).body_md, 'Fra skjemaet')
})

test('two people: the author and an editor on a published post; autosave never publishes', async (t) => {
  const app = await buildTestApp(t)
  const author = await makeUser(app)
  const editor = await makeUser(app, { role: 'editor' })
  const id = await publishedPost(app, author, editor, { body: 'Publisert tekst' })
  const a = await loggedIn(app, author)
  const page = await a.get(`/posts/${id}/edit`)
  const base = /name="baseRevision" value="(\d+)"/.exec(page.body)![1]!
  const e = await loggedIn(app, editor)
  const editorPage = await e.get(`/posts/${id}/edit`)
  assert.match(editorPage.body, /data-autosave-url=""/, 'a live edit does not save itself')
  const live = await autosave(e, `/posts/${id}/autosave`, { title: 'Publisert innlegg', body: 'Redaktøren', baseRevision: base })
  assert.equal(live.statusCode, 409)
  assert.match(live.json().message, /først når du trykker på knappen/)
  assert.equal((await postRow(app, id)).body_md, 'Publisert tekst')

  const pending = await autosave(a, `/posts/${id}/autosave`, { title: 'Publisert innlegg', body: 'Ventende endring', baseRevision: base })
  assert.equal(pending.statusCode, 200)
  const row = await postRow(app, id)
  assert.equal(row.body_md, 'Publisert tekst', 'readers still see the published text')
  assert.equal(row.edit_status, 'draft')

  const stranger = await loggedIn(app, await makeUser(app))
  await stranger.get('/')
  assert.equal((await autosave(stranger, `/posts/${id}/autosave`, { title: 'x', body: 'y' })).statusCode, 403, 'not theirs to change')
  assert.equal((await autosave(a, `/posts/${id}/autosave`, { title: 'x', body: 'y' }, false)).statusCode, 403, 'CSRF header required')
})

test('the editor upload answers JSON: the Markdown line on success, the reason in the reader language on failure', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/posts/new')
  const png = await solid(40, 30).png().toBuffer()
  const noAlt = await postMultipart(c, '/my/images/upload', { imageAlt: ' ', imageCredit: '' }, { filename: 'x.png', type: 'image/png', data: png })
  assert.equal(noAlt.statusCode, 422)
  assert.match(noAlt.json().message, /Skriv en alternativ tekst/)
  const notImage = await postMultipart(c, '/my/images/upload', { imageAlt: 'Kart' }, { filename: 'x.png', type: 'image/png', data: Buffer.from('<svg/>') })
  assert.equal(notImage.statusCode, 422)
  assert.match(notImage.json().errors.image, /ikke et bilde vi tar imot/)
  const ok = await postMultipart(c, '/my/images/upload', { imageAlt: 'Kart over [Midtbyen]', imageCredit: 'Foto: Kari "K" // CC BY' }, { filename: 'x.png', type: 'image/png', data: png })
  assert.equal(ok.statusCode, 201)
  const body = ok.json() as { id: number; url: string; snippet: string }
  assert.match(body.url, /^\/uploads\/\d{4}\/\d{2}\/[0-9a-f]{32}\.\w+$/)
  assert.equal(body.snippet, `![Kart over \\[Midtbyen\\]](${body.url} "Foto: Kari \\"K\\" // CC BY")`)
  assert.equal((await postMultipart(c, '/my/images/upload', { imageAlt: 'x' }, { filename: 'x.png', type: 'image/png', data: png }, { csrf: false })).statusCode, 403)
})
