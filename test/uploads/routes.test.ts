import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { buildTestApp } from '../helpers/app.js'
import { Client, loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { jpegWithPrivateMetadata, solid } from './fixtures.js'
import { postMultipart } from './multipart.js'
import { writePost } from '../posts/helpers.js'

type App = Awaited<ReturnType<typeof buildTestApp>>
const uploadRows = (app: App) => app.db.selectFrom('uploads').selectAll().orderBy('id').execute()

async function filesUnder(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name)
  } catch {
    return []
  }
}

test('upload: re-encoded without metadata, served with its type, nosniff and a long cache', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  const page = await c.get('/my/images')
  assert.match(page.body, /Du har ikke lastet opp noen bilder ennå/)
  const res = await postMultipart(c, '/my/images', { imageAlt: 'Kontoret i Munkegata', imageCredit: 'Foto: Oliver Steiner // CC BY' },
    { filename: 'IMG_0001.JPG', type: 'image/jpeg', data: await jpegWithPrivateMetadata() })
  assert.equal(res.statusCode, 303)
  const [row] = await uploadRows(app)
  assert.ok(row)
  assert.equal(res.headers.location, `/my/images?uploaded=${row.id}`)
  assert.equal(row.mime, 'image/jpeg')
  assert.equal(row.alt, 'Kontoret i Munkegata')
  assert.equal(row.credit, 'Foto: Oliver Steiner // CC BY')
  assert.match(row.path, /^\d{4}\/\d{2}\/[0-9a-f]{32}\.jpg$/)
  assert.doesNotMatch(row.path, /IMG_0001/i, 'names are our own')

  const listed = await c.get(String(res.headers.location))
  assert.match(listed.body, /Bildet er lastet opp/)
  assert.match(listed.body, /value="!\[Kontoret i Munkegata\]\(\/uploads\/[^ ]+ &quot;Foto: Oliver Steiner \/\/ CC BY&quot;\)"/, 'the short Markdown line to copy, the credit as its caption')
  assert.doesNotMatch(listed.body, /&lt;figure/, 'no HTML to paste')

  const served = await c.get(`/uploads/${row.path}`)
  assert.equal(served.statusCode, 200)
  assert.equal(served.headers['content-type'], 'image/jpeg')
  assert.equal(served.headers['x-content-type-options'], 'nosniff')
  assert.equal(served.headers['cache-control'], 'private, max-age=31536000, immutable')
  const meta = await sharp(served.rawPayload).metadata()
  assert.equal(meta.exif, undefined, 'no EXIF (GPS position) left')
  assert.equal(meta.xmp, undefined)
  assert.equal(meta.width, 200, 'the EXIF orientation was applied to the pixels')
})

test('bad uploads come back with a clear message and the input kept; nothing is stored', async (t) => {
  const app = await buildTestApp(t, { UPLOAD_LIMIT_BYTES: '4096' })
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/my/images')
  const fields = { imageAlt: 'Beskrivelse som skal bli stående', imageCredit: 'Foto: meg' }
  const cases: [string, Parameters<typeof postMultipart>[3], RegExp][] = [
    ['fake image', { filename: 'bilde.jpg', type: 'image/jpeg', data: Buffer.from('dette er ikke et bilde') }, /Filen er ikke et bilde vi tar imot/],
    ['svg', { filename: 'logo.svg', type: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }, /ikke SVG/],
    ['oversized', { filename: 'stor.png', type: 'image/png', data: await solid(400, 400).png({ compressionLevel: 0 }).toBuffer() }, /Filen er for stor/],
    ['corrupt', { filename: 'halv.png', type: 'image/png', data: (await solid(40, 40).png().toBuffer()).subarray(0, 60) }, /kunne ikke leses/],
    ['no file', undefined, /Velg en bildefil/],
  ]
  for (const [name, file, message] of cases) {
    const res = await postMultipart(c, '/my/images', fields, file)
    assert.equal(res.statusCode, 422, name)
    assert.match(res.body, message, name)
    assert.match(res.body, /id="f_image-error"/, name)
    assert.match(res.body, /value="Beskrivelse som skal bli stående"/, `${name}: the alt text is kept`)
    assert.match(res.body, /value="Foto: meg"/, name)
  }
  const noAlt = await postMultipart(c, '/my/images', { imageAlt: ' ' }, { filename: 'ok.png', type: 'image/png', data: await solid(20, 20).png().toBuffer() })
  assert.equal(noAlt.statusCode, 422)
  assert.match(noAlt.body, /Skriv en alternativ tekst som beskriver bildet/)
  assert.equal((await uploadRows(app)).length, 0)
  assert.deepEqual(await filesUnder(app.config.uploadsDir), [])
})

test('the CSRF check protects the multipart upload too', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/my/images')
  const png = { filename: 'ok.png', type: 'image/png', data: await solid(20, 20).png().toBuffer() }
  const missing = await postMultipart(c, '/my/images', { imageAlt: 'Alt' }, png, { csrf: false })
  assert.equal(missing.statusCode, 403)
  const wrong = await postMultipart(c, '/my/images', { _csrf: 'forfalsket', imageAlt: 'Alt' }, png, { csrf: false })
  assert.equal(wrong.statusCode, 403)
  const editor = await postMultipart(c, '/posts/new', { title: 'Uten token', body: 'x', action: 'upload', imageAlt: 'Alt' }, png, { csrf: false })
  assert.equal(editor.statusCode, 403)
  assert.equal((await uploadRows(app)).length, 0)
  assert.equal((await app.db.selectFrom('posts').select('id').execute()).length, 0)
})

test('serving: only our own names of known images; login on an internal site, public on a public one', async (t) => {
  const internal = await buildTestApp(t)
  const c = await loggedIn(internal, await makeUser(internal))
  await postMultipart(c, '/my/images', { imageAlt: 'Alt' }, { filename: 'a.png', type: 'image/png', data: await solid(1000, 500).png().toBuffer() }, { from: '/my/images' })
  const [row] = await uploadRows(internal)
  assert.ok(row)
  const variant = JSON.parse(row.variants)[0].path as string
  const served = await c.get(`/uploads/${variant}`)
  assert.equal(served.statusCode, 200, 'variants are served too')
  assert.equal(served.headers['content-type'], 'image/png')
  assert.equal((await new Client(internal).get(`/uploads/${row.path}`)).statusCode, 303, 'internal: log in first')
  for (const url of ['/uploads/../betablogg.sqlite', '/uploads/%2e%2e/betablogg.sqlite', `/uploads/${row.path.replace(/[0-9a-f]{32}/, 'f'.repeat(32))}`, '/uploads/2026/01/x.png']) {
    assert.equal((await c.get(url)).statusCode, 404, url)
  }
  // A file with one of our names but no row (e.g. left behind) is not served.
  const stray = path.join(internal.config.uploadsDir, row.path.replace(/[0-9a-f]{32}/, 'a'.repeat(32)))
  await fs.copyFile(path.join(internal.config.uploadsDir, row.path), stray)
  assert.equal((await c.get(`/uploads/${row.path.replace(/[0-9a-f]{32}/, 'a'.repeat(32))}`)).statusCode, 404)

  const pub = await buildTestApp(t, { SITE_VISIBILITY: 'public' })
  const p = await loggedIn(pub, await makeUser(pub))
  await postMultipart(p, '/my/images', { imageAlt: 'Alt' }, { filename: 'a.webp', type: 'image/webp', data: await solid(30, 30).webp().toBuffer() }, { from: '/my/images' })
  const [pubRow] = await uploadRows(pub)
  const anon = await new Client(pub).get(`/uploads/${pubRow!.path}`)
  assert.equal(anon.statusCode, 200)
  assert.equal(anon.headers['content-type'], 'image/webp')
  assert.equal(anon.headers['cache-control'], 'public, max-age=31536000, immutable')
  const anonUpload = await postMultipart(new Client(pub), '/my/images', { imageAlt: 'Alt' }, { filename: 'a.png', type: 'image/png', data: await solid(30, 30).png().toBuffer() }, { csrf: false })
  assert.equal(anonUpload.statusCode, 303, 'readers of a public site cannot upload')
  assert.match(String(anonUpload.headers.location), /^\/login/)
  assert.equal((await uploadRows(pub)).length, 1)
})

test('the post editor uploads an image and saves the draft in one go, keeping the text on errors', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/posts/new')
  const text = { title: 'Med bilde', body: 'Teksten min.', tags: 'ikt', lead: '' }
  const bad = await postMultipart(c, '/posts/new', { ...text, action: 'upload', imageAlt: 'Alt' }, { filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('nei') })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /Filen er ikke et bilde vi tar imot/)
  assert.match(bad.body, /value="Med bilde"/)
  assert.match(bad.body, />Teksten min\.<\/textarea>/)
  assert.equal((await app.db.selectFrom('posts').select('id').execute()).length, 0)
  const huge = await postMultipart(c, '/posts/new', { ...text, body: 'a'.repeat(450_000), action: 'save' })
  assert.equal(huge.statusCode, 422, 'a value longer than the multipart field limit is refused, never saved cut short')
  assert.match(huge.body, /Teksten er for lang/)
  assert.equal((await app.db.selectFrom('posts').select('id').execute()).length, 0)

  const ok = await postMultipart(c, '/posts/new', { ...text, action: 'upload', imageAlt: 'Et rødt kvadrat', imageCredit: '' },
    { filename: 'rod.png', type: 'image/png', data: await solid(64, 64).png().toBuffer() })
  assert.equal(ok.statusCode, 303)
  const [upload] = await uploadRows(app)
  const post = await app.db.selectFrom('posts').selectAll().executeTakeFirstOrThrow()
  assert.equal(ok.headers.location, `/posts/${post.id}/edit?uploaded=${upload!.id}#images_section`)
  assert.equal(post.title, 'Med bilde')
  const edit = await c.get(String(ok.headers.location).split('#')[0]!)
  assert.match(edit.body, new RegExp(`value="!\\[Et rødt kvadrat\\]\\(/uploads/${upload!.path}\\)"`))
  assert.match(edit.body, new RegExp(`<option value="${upload!.id}">Et rødt kvadrat</option>`), 'offered as cover image')

  const save = await postMultipart(c, `/posts/${post.id}/edit`, { ...text, body: `Teksten min.\n\n![Et rødt kvadrat](/uploads/${upload!.path})`, coverUploadId: String(upload!.id), action: 'save' })
  assert.equal(save.statusCode, 303)
  const saved = await app.db.selectFrom('posts').selectAll().executeTakeFirstOrThrow()
  assert.equal(saved.cover_upload_id, upload!.id)
  assert.match(saved.body_html, new RegExp(`<img src="/uploads/${upload!.path}"[^>]*alt="Et rødt kvadrat"`))
  const stranger = await makeUser(app)
  const sc = await loggedIn(app, stranger)
  const { res } = await writePost(sc, { title: 'Lånt bilde', coverUploadId: String(upload!.id) })
  assert.equal(res.statusCode, 422, "someone else's image cannot be a cover")
  assert.match(res.body, /Velg et av dine egne bilder/)
})

test('the owner corrects alt text and credit; others cannot', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await postMultipart(c, '/my/images', { imageAlt: 'Feil' }, { filename: 'a.png', type: 'image/png', data: await solid(20, 20).png().toBuffer() }, { from: '/my/images' })
  const [row] = await uploadRows(app)
  const form = await c.get(`/my/images/${row!.id}`)
  assert.match(form.body, /value="Feil"/)
  const empty = await c.post(`/my/images/${row!.id}`, { imageAlt: '', imageCredit: 'Foto: NN' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /value="Foto: NN"/)
  assert.match(empty.body, /Skjemaet har én feil\. Rett den og prøv igjen:/, 'one error, in the singular')
  assert.equal((await c.post(`/my/images/${row!.id}`, { imageAlt: 'Riktig', imageCredit: 'Foto: NN' }, { from: `/my/images/${row!.id}` })).statusCode, 303)
  assert.deepEqual((await uploadRows(app)).map((r) => [r.alt, r.credit]), [['Riktig', 'Foto: NN']])
  const other = await loggedIn(app, await makeUser(app))
  assert.equal((await other.get(`/my/images/${row!.id}`)).statusCode, 403)
  assert.equal((await other.post(`/my/images/${row!.id}`, { imageAlt: 'Kapret' }, { from: '/my/images' })).statusCode, 403)
})

test('the owner deletes an image nothing shows; one in use stays and says where', async (t) => {
  const app = await buildTestApp(t)
  const owner = await makeUser(app)
  const c = await loggedIn(app, owner)
  const png = async () => solid(40, 30).png().toBuffer()
  await postMultipart(c, '/my/images', { imageAlt: 'Brukt' }, { filename: 'a.png', type: 'image/png', data: await png() }, { from: '/my/images' })
  await postMultipart(c, '/my/images', { imageAlt: 'Ubrukt' }, { filename: 'b.png', type: 'image/png', data: await png() }, { from: '/my/images' })
  const [used, unused] = await uploadRows(app)
  await writePost(c, { title: 'Utkast med bilde', body: `Se her:\n\n![Brukt](/uploads/${used!.path})` })

  // In use: the page says where, there is no delete button, and a forged request is refused.
  const usedPage = await c.get(`/my/images/${used!.id}`)
  assert.match(usedPage.body, /Bildet er i bruk og kan ikke slettes/)
  assert.match(usedPage.body, /<li><a href="\/posts\/[^"]+">Utkast med bilde<\/a><\/li>/)
  assert.doesNotMatch(usedPage.body, /\/delete"/)
  assert.equal((await c.post(`/my/images/${used!.id}/delete`, {})).statusCode, 409)

  // Someone else cannot delete it.
  const other = await loggedIn(app, await makeUser(app))
  assert.equal((await other.post(`/my/images/${unused!.id}/delete`, {}, { from: '/my/images' })).statusCode, 403)

  const page = await c.get(`/my/images/${unused!.id}`)
  assert.match(page.body, new RegExp(`<form method="post" action="/my/images/${unused!.id}/delete" data-confirm=`))
  const before = await filesUnder(app.config.uploadsDir)
  const res = await c.post(`/my/images/${unused!.id}/delete`, {})
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/my/images?deleted=1')
  assert.match((await c.get('/my/images?deleted=1')).body, /Bildet er slettet\./)
  assert.deepEqual((await uploadRows(app)).map((r) => r.id), [used!.id])
  const after = await filesUnder(app.config.uploadsDir)
  const fileId = /([0-9a-f]{32})/.exec(unused!.path)![1]!
  assert.ok(before.some((f) => f.includes(fileId)))
  assert.deepEqual(after.filter((f) => f.includes(fileId)), [], 'every size of it is gone')
  assert.equal((await c.get(`/uploads/${unused!.path}`)).statusCode, 404)
  assert.equal((await c.get(`/uploads/${used!.path}`)).statusCode, 200)
})

test('only the exact stored name keeps an image: the same digits in upper case name no file (SQLite and PostgreSQL alike)', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await postMultipart(c, '/my/images', { imageAlt: 'Bilde' }, { filename: 'a.png', type: 'image/png', data: await solid(40, 30).png().toBuffer() }, { from: '/my/images' })
  const [image] = await uploadRows(app)
  const shouting = image!.path.replace(/[0-9a-f]{32}/, (id) => id.toUpperCase())
  await writePost(c, { title: 'Store bokstaver', body: `![Bilde](/uploads/${shouting})` })
  assert.equal((await c.get(`/uploads/${shouting}`)).statusCode, 404, 'the upper-case address shows nothing')
  assert.doesNotMatch((await c.get(`/my/images/${image!.id}`)).body, /Bildet er i bruk/)
  assert.equal((await c.post(`/my/images/${image!.id}/delete`, {}, { from: '/my/images' })).statusCode, 303)
  assert.deepEqual(await uploadRows(app), [])
})

test('a multipart body without a boundary is the sender\'s mistake: 400, not 500', async (t) => {
  const app = await buildTestApp(t)
  const c = await loggedIn(app, await makeUser(app))
  await c.get('/my/images')
  const cookie = [...c.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ')
  const res = await app.inject({ method: 'POST', url: '/my/images', headers: { cookie, 'content-type': 'multipart/form-data' }, payload: 'x' })
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /<html lang="nb">/)
})
