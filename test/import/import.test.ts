// The importer end to end against a real database: what an import of the sample export writes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { verifyAuditChain } from '../../src/audit/chain.js'
import { sanitizeHtml } from '../../src/markdown/index.js'
import { importWordPress, ImportRefused } from '../../src/import/service.js'
import { resolveStoredPath } from '../../src/uploads/storage.js'
import { buildTestApp, makeTempDir } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { IDS, sampleSpec, buildWxr } from '../wordpress/fixtures.js'
import { importFixture, oldUploads, postByWpId } from './helpers.js'

test('imports the sample export: authors, posts, drafts, pages, tags, comments and the audit trail', async (t) => {
  const f = await importFixture(t)
  const file = await f.write(sampleSpec())
  const report = await f.run(file)
  const db = f.app.db

  const kari = await db.selectFrom('users').selectAll().where('username', '=', 'kari').executeTakeFirstOrThrow()
  const ola = await db.selectFrom('users').selectAll().where('username', '=', 'ola.odegard').executeTakeFirstOrThrow()
  assert.equal(kari.is_active, 0)
  assert.equal(kari.password_hash, null, 'nobody gets a password from the import')
  assert.equal(kari.email, 'kari.nordmann@trondheim.kommune.no')
  assert.equal(ola.display_name, 'Ola Ødegård')
  assert.deepEqual(report.users, { created: 2, matched: 0, already: 0 })

  const post = (await postByWpId(f.app, IDS.published))!
  assert.equal(post.slug, 'apne-data-i-trondheim')
  assert.equal(post.title, 'Åpne data i Trondheim & omegn')
  assert.equal(post.status, 'published')
  assert.equal(post.published_at, '2009-05-21T08:30:00.000Z')
  assert.equal(post.author_id, kari.id)
  assert.equal(post.summary, 'Trondheim kommune har åpnet et nytt datasett. Her er høydepunktene fra møtet på Øya. Neste linje i samme avsnitt.')
  assert.equal(post.comment_count, 2)
  assert.equal(post.pinned_at, null, 'a sticky WordPress post is not pinned on the new front page')
  const stewardship = await db.selectFrom('post_stewardship').select(['post_id', 'owner_id', 'review_by']).execute()
  assert.deepEqual(stewardship.find((s) => s.post_id === post.id), { post_id: post.id, owner_id: kari.id, review_by: '2010-05-21' },
    'owned by its author and due a review period after it was published, like a post published here')
  const unpublished = await db.selectFrom('posts').select('id').where('status', '!=', 'published').execute()
  assert.ok(unpublished.length > 0 && unpublished.every((p) => !stewardship.some((s) => s.post_id === p.id)), 'drafts have no review date')
  assert.equal(sanitizeHtml(post.body_html, 'post'), post.body_html, 'the stored body is exactly what the sanitizer lets through')
  assert.equal(post.body_md, post.body_html)
  assert.match(post.body_html, /<figure class="embed" data-embed-provider="youtube" data-embed-src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ">/)
  assert.match(post.body_html, /data-embed-provider="vimeo" data-embed-src="https:\/\/player\.vimeo\.com\/video\/1234567\?dnt=1"/)
  assert.match(post.body_html, /<figcaption>Gamle bybro i vårsol<\/figcaption>/)
  assert.match(post.body_html, /\[contact-form-7 id="9" title="Kontakt"\]/, 'an unknown shortcode stays visible for an editor to fix')
  assert.match(post.body_html, /<ul class="gallery gallery-columns-2 gallery-crop"><li><figure><a [^>]+><span class="missing-image">\[Bilde mangler: bybrua\]<\/span><\/a><\/figure><\/li><\/ul>/,
    'a gallery of the attachment in the export (no --uploads here: a placeholder); attachment 13 is not in it')
  assert.match(post.body_html, /<pre>kode {2}med\n\tinnrykk<\/pre>/)
  assert.match(post.body_html, /<span class="missing-image">\[Bilde mangler: Kart over Midtbyen\]<\/span>/)

  const tags = await db.selectFrom('post_tags').innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['tags.name', 'tags.post_count', 'post_tags.published_at']).where('post_tags.post_id', '=', post.id).orderBy('tags.name').execute()
  assert.deepEqual(tags.map((x) => x.name), ['blåbær', 'ikt', 'smart-by', 'åpne-data'])
  for (const tag of tags) {
    assert.equal(tag.published_at, post.published_at, 'post_tags mirrors the publication time')
    assert.equal(tag.post_count, 1)
  }

  const comments = await db.selectFrom('comments').selectAll().where('post_id', '=', post.id).orderBy('id').execute()
  assert.equal(comments.length, 2, 'spam, trash, pending and pingbacks are left out')
  assert.equal(comments[0]!.author_name, 'Per Hansen')
  assert.equal(comments[0]!.author_id, null)
  assert.equal(comments[0]!.parent_id, null)
  assert.equal(comments[0]!.body_html, '<p>Flott initiativ! Når kommer flere datasett?</p>')
  assert.equal(comments[0]!.created_at, '2009-05-21T09:00:00.000Z')
  assert.equal(comments[1]!.author_id, kari.id, 'a commenter with an account is linked to it')
  assert.equal(comments[1]!.parent_id, comments[0]!.id)

  const byStatus = async (wpId: number) => (await postByWpId(f.app, wpId))!
  const draft = await byStatus(IDS.draft)
  assert.equal(draft.status, 'draft')
  assert.equal(draft.published_at, null)
  assert.equal(draft.author_id, ola.id, 'a draft stays its author\'s')
  const priv = await byStatus(IDS.private)
  assert.equal(priv.status, 'draft')
  assert.equal(priv.lead, 'Et eget utdrag.')
  assert.equal(priv.summary, 'Et eget utdrag.')
  assert.equal((await byStatus(IDS.future)).status, 'draft')
  assert.equal((await byStatus(IDS.pending)).status, 'draft')
  const page = await byStatus(IDS.page)
  assert.equal(page.status, 'published')
  const pageTags = await db.selectFrom('post_tags').innerJoin('tags', 'tags.id', 'post_tags.tag_id').select('tags.name').where('post_id', '=', page.id).execute()
  assert.deepEqual(pageTags.map((x) => x.name), ['side'])
  assert.equal(await postByWpId(f.app, IDS.attachment), undefined)
  assert.equal((await db.selectFrom('tags').select('post_count').where('name', '=', 'bærekraft').executeTakeFirstOrThrow()).post_count, 0,
    'a draft does not count in its tag')

  const sha = createHash('sha256').update(await fs.readFile(file)).digest('hex')
  const events = await db.selectFrom('audit_events').selectAll().where('action', '=', 'post.import').orderBy('id').execute()
  assert.equal(events.length, 7)
  const first = events.find((e) => e.subject_id === post.id)!
  assert.equal(first.actor_id, null)
  assert.equal(first.actor_name, 'system')
  assert.equal(first.to_state, 'published')
  assert.match(first.note!, new RegExp(`WordPress post ${IDS.published} · export\\.xml · sha256 ${sha}`))
  const revision = await db.selectFrom('post_revisions').selectAll().where('id', '=', post.revision_id!).executeTakeFirstOrThrow()
  assert.equal(post.published_revision_id, revision.id)
  assert.equal(first.content_hash, revision.content_hash)
  assert.equal(revision.tags, 'ikt,smart-by,åpne-data,blåbær')
  assert.equal((await verifyAuditChain(db)).ok, true)

  assert.deepEqual({ published: report.posts.published, drafts: report.posts.drafts, pages: report.posts.pages }, { published: 3, drafts: 4, pages: 1 })
  assert.deepEqual(report.drafts, { draft: 1, private: 1, scheduled: 1, pending: 1 })
  assert.deepEqual(report.skippedItems, { attachment: 1 })
  assert.deepEqual(report.comments.skipped, { spam: 1, trash: 1, pending: 1, pingback: 1, trackback: 0, empty: 0 })
  assert.equal(report.comments.imported, 2)
  const codes = new Set(report.problems.map((p) => p.code))
  for (const code of ['unknown-shortcode', 'missing-image', 'unpublished', 'unknown-iframe', 'bad-embed', 'external-image']) {
    assert.ok(codes.has(code as never), `reports ${code}`)
  }
})

test('hostile HTML is neutralised and Norwegian text comes through intact', async (t) => {
  const f = await importFixture(t)
  await f.run(await f.write(sampleSpec()))
  const post = (await postByWpId(f.app, IDS.hostile))!
  assert.equal(post.title, 'Fet tittel & "sitater"', 'HTML in a title becomes its text')
  assert.doesNotMatch(post.body_html, /<script|onerror|href="javascript:|<iframe|<img/i)
  assert.match(post.body_html, /\[embed\]javascript:alert\(4\)\[\/embed\]/, 'a bad embed stays as harmless text, reported')
  assert.match(post.body_html, /Ærlig talt:/)
  assert.match(post.body_html, /klikk her/, 'a bad link keeps its text')
  assert.match(post.body_html, /CDATA-avslutning midt i teksten: \]\]&gt; og videre\./)
  const published = (await postByWpId(f.app, IDS.published))!
  assert.match(published.body_html, /Her er høydepunktene fra møtet på Øya\./)
})

test('images are copied from --uploads, re-encoded, shared, and the post points at the copies', async (t) => {
  const f = await importFixture(t)
  const uploads = await oldUploads(f.dir)
  const report = await f.run(await f.write(sampleSpec()), { uploadsFrom: uploads })
  const post = (await postByWpId(f.app, IDS.published))!
  const rows = await f.app.db.selectFrom('uploads').selectAll().execute()
  assert.equal(rows.length, 1, 'the thumbnail, the link to the full size and the cover share one upload: the original')
  const upload = rows[0]!
  assert.equal(upload.width, 1200)
  assert.equal(upload.owner_id, post.author_id)
  assert.match(upload.path, /^2009\/05\/[0-9a-f]{32}\.jpg$/, 'filed under the post\'s month')
  const file = resolveStoredPath(f.app.config.uploadsDir, upload.path)!
  assert.ok((await fs.stat(file)).size > 0)
  assert.equal(post.cover_upload_id, upload.id)
  const url = `/uploads/${upload.path}`
  const img = /<a href="([^"]+)"><img ([^>]+)><\/a><figcaption>Gamle bybro i vårsol/.exec(post.body_html)
  assert.ok(img, post.body_html)
  assert.equal(img[1], url, 'the link to the full-size image points at the copy')
  for (const attr of [`src="${url}"`, 'alt="Gamle bybro"', 'width="300"', 'height="200"']) assert.ok(img[2]!.includes(attr), attr)
  assert.doesNotMatch(post.body_html, /wp-content/)
  assert.match(post.body_html, /\[Bilde mangler: Kart over Midtbyen\]/, 'the missing map is a visible placeholder')
  assert.equal(report.images.copied, 1)
  assert.equal(report.images.missing, 2, 'the map, and attachment 13 of the gallery')
  const missing = report.problems.filter((p) => p.code === 'missing-image')
  assert.deepEqual(missing.map((p) => p.detail), [
    'gallery: attachment 13 is not in the export; left out of the gallery',
    'wp-content/uploads/2010/02/mangler.png is not in the uploads folder; the post shows a placeholder with the alt text',
  ])
  assert.match(missing[0]!.where, /post 101/)
  assert.match(post.body_html, new RegExp(`<ul class="gallery gallery-columns-2 gallery-crop"><li><figure><a href="${url}"><img src="${url}" loading="lazy" alt="bybrua" /></a></figure></li></ul>`),
    'the gallery shows the copy too')
})

test('an image file that is not an image we accept is reported and replaced by a placeholder', async (t) => {
  const f = await importFixture(t)
  const uploads = await oldUploads(f.dir)
  await fs.mkdir(`${uploads}/2011/01`, { recursive: true })
  await fs.writeFile(`${uploads}/2011/01/tegning.gif`, 'GIF89a dette er ikke et bilde')
  const spec = sampleSpec({ items: [{ id: 300, title: 'Tegning', slug: 'tegning', date: '2011-01-05T12:00:00Z',
    content: '<img src="http://betatrondheim.no/wp-content/uploads/2011/01/tegning.gif" alt="Skisse av Torget" />' }] })
  const report = await f.run(await f.write(spec), { uploadsFrom: uploads })
  const post = (await postByWpId(f.app, 300))!
  assert.match(post.body_html, /\[Bilde mangler: Skisse av Torget\]/)
  assert.equal(report.images.unusable, 1)
  assert.ok(report.problems.some((p) => p.code === 'unusable-image' && p.detail.includes('2011/01/tegning.gif')))
})

test('duplicate slugs get a free variant and are reported', async (t) => {
  const f = await importFixture(t)
  const now = new Date().toISOString()
  await f.app.db.insertInto('posts').values({ author_id: f.admin.id, slug: 'blabaer', title: 'Finnes fra før', status: 'draft', created_at: now, updated_at: now }).execute()
  const spec = sampleSpec({ items: [
    { id: 201, title: 'Blåbær', slug: 'bl%c3%a5b%c3%a6r', date: '2012-08-01T10:00:00Z', content: 'Én' },
    { id: 202, title: 'Blabaer', slug: 'blabaer', date: '2012-08-02T10:00:00Z', content: 'To' },
  ] })
  const dry = await f.run(await f.write(spec), { dryRun: true })
  const report = await f.run(await f.write(spec))
  assert.equal((await postByWpId(f.app, 201))!.slug, 'blabaer-2')
  assert.equal((await postByWpId(f.app, 202))!.slug, 'blabaer-3')
  const dup = report.problems.filter((p) => p.code === 'duplicate-slug')
  assert.deepEqual(dup.map((p) => p.detail), [
    'the address "blabaer" was taken: imported as /posts/blabaer-2',
    'the address "blabaer" was taken: imported as /posts/blabaer-3',
  ])
  assert.deepEqual(dry.problems.filter((p) => p.code === 'duplicate-slug').map((p) => p.detail), [
    'the address "blabaer" was taken: would be /posts/blabaer-2',
    'the address "blabaer" was taken: would be /posts/blabaer-3',
  ], 'the dry run sees the same clashes, including the one within the file')
})

test('authors are matched to existing accounts by e-mail, and by login only when nothing contradicts it', async (t) => {
  const f = await importFixture(t)
  const kari = await makeUser(f.app, { username: 'knordmann', email: 'Kari.Nordmann@trondheim.kommune.no' })
  const otherOla = await makeUser(f.app, { username: 'ola.odegard', email: 'en.annen.ola@example.no' })
  const report = await f.run(await f.write(sampleSpec()))
  assert.deepEqual(report.users, { created: 1, matched: 1, already: 0 })
  assert.equal((await postByWpId(f.app, IDS.published))!.author_id, kari.id)
  const newOla = await f.app.db.selectFrom('users').selectAll().where('username', '=', 'ola.odegard-2').executeTakeFirstOrThrow()
  assert.notEqual(newOla.id, otherOla.id)
  assert.equal((await postByWpId(f.app, IDS.draft))!.author_id, newOla.id)
  assert.ok(report.problems.some((p) => p.code === 'account' && p.where === 'author ola.odegard' && p.detail.includes('created "ola.odegard-2"')))
  const active = await f.app.db.selectFrom('users').select('is_active').where('id', '=', kari.id).executeTakeFirstOrThrow()
  assert.equal(active.is_active, 1, 'a matched account is left as it was')
})

test('a commenter whose e-mail belongs to an account is linked to it; others keep their name', async (t) => {
  const f = await importFixture(t)
  const per = await makeUser(f.app, { username: 'per', displayName: 'Per Hansen', email: 'PER@example.no' })
  await f.run(await f.write(sampleSpec()))
  const post = (await postByWpId(f.app, IDS.published))!
  const first = await f.app.db.selectFrom('comments').selectAll().where('post_id', '=', post.id).orderBy('id').executeTakeFirstOrThrow()
  assert.equal(first.author_id, per.id)
  assert.equal(first.author_name, null)
})

test('oddities are reported: a repeated WordPress id and an over-long title', async (t) => {
  const f = await importFixture(t)
  const long = `Et svært langt innlegg om ${'bydelsutvikling og '.repeat(12)}Trondheim`
  const report = await f.run(await f.write(sampleSpec({ items: [
    { id: 500, title: 'Første', slug: 'forste', date: '2013-01-01T10:00:00Z', content: 'A' },
    { id: 500, title: 'Kopi', slug: 'kopi', date: '2013-01-02T10:00:00Z', content: 'B' },
    { id: 501, title: long, slug: 'langt', date: '2013-01-03T10:00:00Z', content: 'C' },
  ] })))
  assert.equal(report.posts.published, 2)
  assert.ok(report.problems.some((p) => p.code === 'duplicate-item' && p.where === 'post 500 «Kopi»'))
  assert.ok(report.problems.some((p) => p.code === 'too-long' && p.where.startsWith('post 501')))
  assert.equal((await postByWpId(f.app, 501))!.title, long, 'the title is kept whole')
})

test('refuses to import into a site nobody can administer yet', async (t) => {
  const app = await buildTestApp(t)
  const dir = await makeTempDir('wxr-')
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  await fs.writeFile(`${dir}/x.xml`, buildWxr(sampleSpec()))
  await assert.rejects(importWordPress({ db: app.db, uploadsDir: app.config.uploadsDir }, `${dir}/x.xml`), ImportRefused)
  assert.equal((await app.db.selectFrom('users').select('id').execute()).length, 0)
})
