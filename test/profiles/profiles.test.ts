// Issue 14, profiles: picture (square, re-encoded, several sizes, metadata gone), job title, unit and
// presentation; who may edit them; where pictures and initials are shown; privacy export and erasure.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { unzipSync } from 'fflate'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { postMultipart } from '../uploads/multipart.js'
import { jpegWithPrivateMetadata, solid } from '../uploads/fixtures.js'
import { publishedPost } from '../posts/helpers.js'
import { avatarOf, initialsOf, toneOf } from '../../src/profiles/avatar.js'

const jpeg = async (w: number, h: number) => ({ filename: 'me.jpg', type: 'image/jpeg', data: await solid(w, h).jpeg().toBuffer(), field: 'picture' })

test('initials and tone: from the name, stable, letters by code point', () => {
  assert.equal(initialsOf('Kari Nordmann'), 'KN')
  assert.equal(initialsOf('øystein  åsen-berg'), 'ØB')
  assert.equal(initialsOf('anne'), 'A')
  assert.equal(initialsOf('  '), '?')
  assert.equal(toneOf('Kari Nordmann'), toneOf('Kari Nordmann'))
  assert.ok(new Set(['Anne', 'Bjørn', 'Carl', 'Dina', 'Eva', 'Finn'].map(toneOf)).size > 1, 'names spread over tones')
  assert.equal(avatarOf('Kari', null).src, undefined)
  assert.match(avatarOf('Kari', '2026/12/' + 'a'.repeat(32) + '.jpg').srcset!, /-64\.jpg 64w, .*-128\.jpg 128w, .*\.jpg 256w/)
  assert.equal(avatarOf('Kari', null).src, undefined, 'the view without a picture again (views are remembered per name and picture)')
  assert.ok(Object.isFrozen(avatarOf('Kari', null)), 'a remembered view cannot be changed by one page for the next')
})

test('a picture is cropped square in three sizes, its metadata dropped; shown beside posts, comments and on the author page', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const published = await publishedPost(app, kari, editor, { title: 'Hei fra Kari' })
  const c = await loggedIn(app, kari)

  const page = await c.get('/users/kari/edit')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<span class="avatar avatar-l avatar-tone-\d+" aria-hidden="true">KN<\/span>/, 'initials before a picture')

  const exif = { filename: 'foto.jpg', type: 'image/jpeg', data: await jpegWithPrivateMetadata(), field: 'picture' }
  const res = await postMultipart(c, '/users/kari/picture', {}, exif, { from: '/users/kari/edit' })
  assert.equal(res.statusCode, 303)
  const row = await app.db.selectFrom('users').select('avatar_path').where('id', '=', kari.id).executeTakeFirstOrThrow()
  assert.match(row.avatar_path!, /^\d{4}\/\d{2}\/[0-9a-f]{32}\.jpg$/)
  for (const size of [256, 128, 64]) {
    const url = '/avatars/' + (size === 256 ? row.avatar_path! : row.avatar_path!.replace('.jpg', `-${size}.jpg`))
    const file = await c.get(url)
    assert.equal(file.statusCode, 200, url)
    assert.equal(file.headers['content-type'], 'image/jpeg')
    const meta = await sharp(file.rawPayload).metadata()
    assert.equal(meta.width, size)
    assert.equal(meta.height, size)
    assert.equal(meta.exif, undefined, 'no EXIF (GPS position) left')
    assert.equal(meta.icc, undefined)
  }
  assert.equal((await c.get('/avatars/2026/01/' + 'b'.repeat(32) + '.jpg')).statusCode, 404, 'a file nobody owns')
  assert.equal((await c.get('/avatars/../../etc/passwd')).statusCode, 404)

  const post = await c.get('/posts/hei-fra-kari')
  const box = /<aside class="author-box"[\s\S]*?<\/aside>/.exec(post.body)?.[0] ?? ''
  assert.match(box, /<img class="avatar avatar-m" src="\/avatars\/[^"]+-64\.jpg" srcset="[^"]+" sizes="64px" width="64" height="64" alt=""/)
  assert.equal((await c.post('/comments', { postId: String(published), parentId: '', body: 'Min kommentar' }, { from: '/posts/hei-fra-kari' })).statusCode, 303)
  const withComment = await c.get('/posts/hei-fra-kari')
  const comment = /<article class="comment[\s\S]*?<\/article>/.exec(withComment.body)?.[0] ?? ''
  assert.match(comment, /Min kommentar/)
  assert.match(comment, /<img class="avatar avatar-s" src="\/avatars\/[^"]+" [^>]*alt=""/)
  const home = await c.get('/')
  assert.match(home.body, /<img class="avatar avatar-s" src="\/avatars\/[^"]+"[^>]*alt=""[^>]*> Av <a href="\/users\/kari">/)
  const profile = await c.get('/users/kari')
  assert.match(profile.body, /<img class="avatar avatar-l"/)
  assert.match(profile.body, /href="\/users\/kari\/edit"/)

  // A new picture replaces the old files; removing leaves the initials.
  const before = row.avatar_path!
  assert.equal((await postMultipart(c, '/users/kari/picture', {}, await jpeg(400, 300), { from: '/users/kari/edit' })).statusCode, 303)
  await assert.rejects(fs.stat(path.join(app.config.uploadsDir, before)), 'the old picture is deleted')
  assert.equal((await c.get('/avatars/' + before)).statusCode, 404)
  const removed = await c.post('/users/kari/picture/delete', { _confirm: 'yes' }, { from: '/users/kari/edit' })
  assert.equal(removed.statusCode, 303)
  assert.equal((await app.db.selectFrom('users').select('avatar_path').where('id', '=', kari.id).executeTakeFirstOrThrow()).avatar_path, null)
  assert.match((await c.get('/posts/hei-fra-kari')).body, /<span class="avatar avatar-m avatar-tone-\d+" aria-hidden="true">KN<\/span>/)
})

test('picture refusals come back beside the field: SVG, not an image, none chosen', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const c = await loggedIn(app, kari)
  const svg = { filename: 'x.png', type: 'image/png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), field: 'picture' }
  const r1 = await postMultipart(c, '/users/kari/picture', {}, svg, { from: '/users/kari/edit' })
  assert.equal(r1.statusCode, 422)
  assert.match(r1.body, /id="f_picture-error">SVG-filer tas ikke imot/)
  assert.match(r1.body, /aria-invalid="true"/)
  const text = { filename: 'x.jpg', type: 'image/jpeg', data: Buffer.from('hello'), field: 'picture' }
  const r2 = await postMultipart(c, '/users/kari/picture', {}, text, { from: '/users/kari/edit' })
  assert.equal(r2.statusCode, 422)
  assert.match(r2.body, /ikke et bilde vi tar imot/)
  const r3 = await postMultipart(c, '/users/kari/picture', {}, undefined, { from: '/users/kari/edit' })
  assert.equal(r3.statusCode, 422)
  assert.match(r3.body, /Velg en bildefil/)
})

test('job title, unit and presentation: validated, kept on error, shown on the author page and in the author box', async (t) => {
  const app = await buildTestApp(t)
  const editor = await makeUser(app, { role: 'editor' })
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  await publishedPost(app, kari, editor, { title: 'Hei igjen' })
  const c = await loggedIn(app, kari)
  const bad = await c.post('/users/kari/edit', { jobTitle: 'x'.repeat(101), unit: 'Kultur', bio: 'Hei' }, { from: '/users/kari/edit' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /Stillingen kan ha høyst 100 tegn/)
  assert.match(bad.body, /value="Kultur"/, 'input kept')
  const long = await c.post('/users/kari/edit', { jobTitle: '', unit: '', bio: 'b'.repeat(1001) }, { from: '/users/kari/edit' })
  assert.equal(long.statusCode, 422)
  const ok = await c.post('/users/kari/edit', { jobTitle: 'Rådgiver', unit: 'Digitalisering', bio: 'Jeg skriver om <b>data</b>.' }, { from: '/users/kari/edit' })
  assert.equal(ok.statusCode, 303)
  const profile = (await c.get('/users/kari')).body
  assert.match(profile, /<p class="profile-role">Rådgiver, Digitalisering<\/p>/)
  assert.match(profile, /Jeg skriver om &lt;b&gt;data&lt;\/b&gt;\./, 'plain text, escaped')
  const box = /<aside class="author-box"[\s\S]*?<\/aside>/.exec((await c.get('/posts/hei-igjen')).body)?.[0] ?? ''
  assert.match(box, /Rådgiver, Digitalisering/)
  for (const lang of ['nn', 'en']) {
    const res = await c.get('/users/kari/edit', { 'accept-language': lang })
    assert.match(res.body, lang === 'nn' ? /Eining eller avdeling/ : /Unit or department/)
  }
})

test('only the person and administrators edit a profile; an administrator\'s edit is audited', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const ola = await makeUser(app, { username: 'ola' })
  const admin = await makeUser(app, { role: 'admin' })
  const o = await loggedIn(app, ola)
  assert.equal((await o.get('/users/kari/edit')).statusCode, 403)
  await o.get('/users/ola/edit')
  assert.equal((await o.post('/users/kari/edit', { jobTitle: 'Sjef' })).statusCode, 403)
  assert.equal((await postMultipart(o, '/users/kari/picture', {}, await jpeg(100, 100))).statusCode, 403)
  assert.doesNotMatch((await o.get('/users/kari')).body, /\/users\/kari\/edit/, 'no edit link for others')
  const anon = await app.inject({ method: 'GET', url: '/users/kari/edit' })
  assert.equal(anon.statusCode, 303)

  const a = await loggedIn(app, admin)
  const page = await a.get('/users/kari/edit')
  assert.match(page.body, /som administrator/)
  assert.equal((await a.post('/users/kari/edit', { jobTitle: 'Leder', unit: '', bio: '' })).statusCode, 303)
  assert.equal((await postMultipart(a, '/users/kari/picture', {}, await jpeg(300, 300), { from: '/users/kari/edit' })).statusCode, 303)
  const audit = await app.db.selectFrom('audit_events').select(['action', 'actor_id', 'note']).where('subject_id', '=', kari.id).where('action', 'like', 'user.p%').execute()
  assert.deepEqual(audit.map((e) => e.action).sort(), ['user.picture', 'user.profile'])
  assert.ok(audit.every((e) => e.actor_id === admin.id))
})

test('notifications and updates show the other person\'s picture or initials', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const ola = await makeUser(app, { username: 'ola', displayName: 'Ola Hansen' })
  const k = await loggedIn(app, kari)
  assert.equal((await postMultipart(k, '/users/kari/picture', {}, await jpeg(300, 300), { from: '/users/kari/edit' })).statusCode, 303)
  const posted = await k.post('/micro', { body: 'Hei @ola!', acceptGuidelines: 'on' }, { from: '/micro' })
  assert.equal(posted.statusCode, 303)
  const timeline = (await k.get('/micro')).body
  assert.match(/<article class="micro[\s\S]*?<\/article>/.exec(timeline)?.[0] ?? '', /<img class="avatar avatar-s" src="\/avatars\//)
  const o = await loggedIn(app, ola)
  const list = (await o.get('/notifications')).body
  assert.match(/<li class="notification[\s\S]*?<\/li>/.exec(list)?.[0] ?? '', /<img class="avatar avatar-s" src="\/avatars\/[^"]+"[^>]*alt=""/)
})

test('privacy: the export carries the picture and the new fields; erasure removes them and the files', async (t) => {
  const app = await buildTestApp(t)
  const kari = await makeUser(app, { username: 'kari', displayName: 'Kari Nordmann' })
  const admin = await makeUser(app, { role: 'admin' })
  const k = await loggedIn(app, kari)
  await k.post('/users/kari/edit', { jobTitle: 'Rådgiver', unit: 'Digitalisering', bio: 'Om meg' }, { from: '/users/kari/edit' })
  await postMultipart(k, '/users/kari/picture', {}, await jpeg(300, 300), { from: '/users/kari/edit' })
  const zip = await k.post('/settings/privacy/export', {}, { from: '/settings/privacy' })
  assert.equal(zip.statusCode, 200)
  const files = unzipSync(new Uint8Array(zip.rawPayload))
  assert.ok(files['images/profile-picture.jpg'], 'the picture is in the export')
  const users = JSON.parse(Buffer.from(files['data.json']!).toString()).users[0]
  assert.equal(users.job_title, 'Rådgiver')
  assert.equal(users.unit, 'Digitalisering')
  const stored = (await app.db.selectFrom('users').select('avatar_path').where('id', '=', kari.id).executeTakeFirstOrThrow()).avatar_path!

  const a = await loggedIn(app, admin)
  const erased = await a.post(`/admin/users/${kari.id}/privacy`, { mode: 'anonymise', posts: 'keep', comments: 'keep', updates: 'keep', confirm: 'on' }, { from: `/admin/users/${kari.id}/privacy` })
  assert.equal(erased.statusCode, 303)
  const row = await app.db.selectFrom('users').select(['unit', 'job_title', 'bio', 'avatar_path']).where('id', '=', kari.id).executeTakeFirstOrThrow()
  assert.deepEqual(row, { unit: '', job_title: '', bio: '', avatar_path: null })
  await assert.rejects(fs.stat(path.join(app.config.uploadsDir, stored)), 'the picture files are deleted')
})
