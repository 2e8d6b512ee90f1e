// The importer against an export shaped like WordPress's own theme unit test data: nested pages,
// /%postname%/ links, non-Latin slugs, galleries, trackbacks and unembeddable embeds. Built here in code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { formatReport } from '../../src/import/report.js'
import { solid } from '../uploads/fixtures.js'
import type { ItemSpec, WxrSpec } from '../wordpress/fixtures.js'
import { importFixture, postByWpId } from './helpers.js'

const SITE = 'https://wpthemetestdata.wordpress.com'

function themeUnitSpec(items: ItemSpec[]): WxrSpec {
  return {
    title: 'Theme Unit Test Data', siteUrl: SITE,
    authors: [{ id: 2, login: 'themedemos', email: 'themeshaperwp+demos@gmail.com', displayName: 'Theme Buster', firstName: 'Theme', lastName: 'Buster' }],
    items: items.map((i) => ({ creator: 'themedemos', ...i })),
  }
}

test('percent-encoded non-Latin slugs are decoded first; a slug that loses all its letters gives way to the title, else to the id', async (t) => {
  const f = await importFixture(t)
  const file = await f.write(themeUnitSpec([
    { id: 1133, title: '中文 2', type: 'page', slug: '%e4%b8%ad%e6%96%87-2', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1134, title: 'Страница 3', type: 'page', slug: '%d1%81%d1%82%d1%80%d0%b0%d0%bd%d0%b8%d1%86%d0%b0-3', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1135, title: 'Blåbær-side', type: 'page', slug: 'bl%C3%A5b%C3%A6r', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1136, title: 'Årsmelding', slug: '2010', date: '2013-01-01T00:00:00Z', content: 'Innlegg.' },
  ]))
  const report = await f.run(file)
  assert.equal(report.posts.failed, 0)
  const slug = async (id: number) => (await postByWpId(f.app, id))?.slug
  assert.equal(await slug(1133), 'side-1133', 'not "2"')
  assert.equal(await slug(1134), 'side-1134', 'not "3"')
  assert.equal(await slug(1135), 'blabaer')
  assert.equal(await slug(1136), '2010', 'a slug that was only digits stays')
})

test('flattened replies name the display name; a bare WordPress.tv URL becomes a reported link; trackbacks are counted as trackbacks', async (t) => {
  const f = await importFixture(t)
  const tv = 'http://wordpress.tv/2009/03/16/anant-shrivastava-lightning-talk/'
  const file = await f.write(themeUnitSpec([
    { id: 1149, title: 'Post Format: Video (WordPress.tv)', slug: 'post-format-video-wordpresstv', date: '2010-06-02T00:00:00Z',
      content: `${tv}\n\nVideo from WordPress.tv.`,
      comments: [
        { id: 10, author: 'Anne', date: '2010-06-02T01:00:00Z', content: 'Top.' },
        { id: 11, author: 'themedemos', userId: 2, date: '2010-06-02T02:00:00Z', content: 'Svar.', parent: 10 },
        { id: 12, author: 'Per', date: '2010-06-02T03:00:00Z', content: 'Svar på svar.', parent: 11 },
        { id: 13, author: 'Annen blogg', url: 'http://annen.example/', date: '2010-06-02T04:00:00Z', content: 'Trackback', type: 'trackback' },
        { id: 14, author: 'Tredje blogg', url: 'http://tredje.example/', date: '2010-06-02T04:00:00Z', content: 'Pingback', type: 'pingback' },
      ] },
  ]))
  const dry = await f.run(file, { dryRun: true })
  const report = await f.run(file)
  for (const r of [dry, report]) assert.deepEqual(r.comments.skipped, { spam: 0, trash: 0, pending: 0, pingback: 1, trackback: 1, empty: 0 })
  const post = (await postByWpId(f.app, 1149))!
  const reply = await f.app.db.selectFrom('comments').select('body_html').where('post_id', '=', post.id).where('body_html', 'like', '%Svar på svar%').executeTakeFirstOrThrow()
  assert.match(reply.body_html, /^<p>@Theme Buster: Svar på svar\.<\/p>$/)
  assert.match(post.body_html, new RegExp(`<a href="${tv}"[^>]*>`))
  assert.ok(report.problems.some((p) => p.code === 'embed-as-link' && p.detail.includes('wordpress.tv')), 'reported')
})

const FILES = 'https://wpthemetestdata.files.wordpress.com'

/** An attachment as the theme unit test data has them: on the blog's files.wordpress.com upload host. */
function attachment(id: number, file: string, parent: number, extra: Partial<ItemSpec> & { alt?: string } = {}): ItemSpec {
  const { alt, meta, ...rest } = extra
  return { id, title: file.replace(/^.*\//, '').replace(/\.\w+$/, ''), type: 'attachment', status: 'inherit', date: '2013-03-15T17:00:00Z',
    parent, slug: file.replace(/^.*\//, '').replace(/\.\w+$/, ''), attachmentUrl: `${FILES}/${file}`,
    link: `${SITE}/2010/08/08/post-format-gallery/${file.replace(/^.*\//, '').replace(/\.\w+$/, '')}/`,
    meta: { _wp_attached_file: file, ...(alt ? { _wp_attachment_image_alt: alt } : {}), ...meta }, ...rest }
}

async function themeUploads(dir: string, files: string[]): Promise<string> {
  const root = path.join(dir, 'uploads')
  for (const file of files) {
    await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true })
    await solid(640, 480).jpeg().toFile(path.join(root, file))
  }
  return root
}

test('galleries become lists of figures with alt text and captions, their images taken from --uploads by path', async (t) => {
  const f = await importFixture(t)
  const file = await f.write(themeUnitSpec([
    { id: 555, title: 'Post Format: Gallery', slug: 'post-format-gallery', date: '2010-09-10T14:24:14Z',
      content: 'Galleriet:\n\n[gallery]\n\nOg et utvalg:\n\n[gallery ids="1628,1627" columns="2" size="medium" link="none"]' },
    attachment(1627, '2013/03/dsc20050315_145007_132.jpg', 555, { alt: 'Katedral i solnedgang', excerpt: 'Nidarosdomen <a href="https://snl.no/Nidarosdomen">(SNL)</a>', menuOrder: 2 }),
    attachment(1628, '2013/03/dsc20050727_091048_222.jpg', 555, { menuOrder: 1 }),
    attachment(1629, '2013/03/dsc20051220_160808_102.jpg', 555, { alt: 'Ikke i --uploads', menuOrder: 3 }),
    attachment(1630, '2013/03/unicorn-wallpaper.jpg', 0, { alt: 'Ikke festet til innlegget' }),
  ]))
  const uploads = await themeUploads(f.dir, ['2013/03/dsc20050315_145007_132.jpg', '2013/03/dsc20050727_091048_222.jpg'])
  const report = await f.run(file, { uploadsFrom: uploads })
  assert.equal(report.posts.failed, 0)
  const post = (await postByWpId(f.app, 555))!
  const galleries = [...post.body_html.matchAll(/<ul class="([^"]+)">([\s\S]*?)<\/ul>/g)]
  assert.equal(galleries.length, 2, post.body_html)
  const [all, some] = galleries.map((m) => ({ classes: m[1], items: [...m[2]!.matchAll(/<li>(.*?)<\/li>/g)].map((i) => i[1]!) }))
  assert.equal(all!.classes, 'gallery gallery-columns-3 gallery-crop')
  assert.equal(all!.items.length, 3, 'the post\'s attached images by menu order; not the one attached elsewhere')
  assert.match(all!.items[0]!, /^<figure><a href="\/uploads\/[^"]+"><img src="\/uploads\/[^"]+" loading="lazy" alt="dsc20050727_091048_222" \/><\/a><\/figure>$/)
  assert.match(all!.items[1]!, /^<figure><a href="(\/uploads\/[^"]+)"><img src="\1" loading="lazy" alt="Katedral i solnedgang" \/><\/a><figcaption>Nidarosdomen <a href="https:\/\/snl\.no\/Nidarosdomen" rel="noopener noreferrer ugc">\(SNL\)<\/a><\/figcaption><\/figure>$/)
  assert.match(all!.items[2]!, /\[Bilde mangler: Ikke i --uploads\]/)
  assert.equal(some!.classes, 'gallery gallery-columns-2')
  assert.equal(some!.items.length, 2)
  assert.doesNotMatch(some!.items.join(''), /<a href="\/uploads/, 'link="none"')
  assert.doesNotMatch(post.body_html, /<img src="https?:|\[gallery/, 'every image shown is a copy')
  assert.deepEqual(report.images, { copied: 2, reused: 0, missing: 1, unusable: 0, external: 0 })
  assert.ok(report.problems.some((p) => p.code === 'missing-image' && p.detail.includes('2013/03/dsc20051220_160808_102.jpg')))
})

test('images on the export\'s own upload host are the blog\'s: copied from --uploads, and what is missing is counted', async (t) => {
  const f = await importFixture(t)
  const file = await f.write(themeUnitSpec([
    { id: 1177, title: 'Markup: Image Alignment', slug: 'markup-image-alignment', date: '2013-01-10T20:15:40Z',
      content: [
        `<img class="aligncenter size-full" src="${FILES}/2013/03/image-alignment-580x300.jpg?w=580" alt="Bilde midt på" width="580" height="300" />`,
        `<a href="${FILES}/2013/03/image-alignment-150x150.jpg"><img src="http://wpthemetestdata.files.wordpress.com/2013/03/image-alignment-150x150.jpg" alt="Lite bilde" /></a>`,
        `<img src="${FILES}/2013/03/image-alignment-1200x4002.jpg" alt="Høyt bilde" />`,
        '<img src="https://s.w.org/about/images/logos/wordpress-logo.png" alt="Ekstern logo" />',
      ].join('\n\n') },
    attachment(1023, '2013/03/image-alignment-580x300.jpg', 1177),
    attachment(1025, '2013/03/image-alignment-150x150.jpg', 1177),
    attachment(1027, '2013/03/image-alignment-1200x4002.jpg', 1177),
  ]))
  const uploads = await themeUploads(f.dir, ['2013/03/image-alignment-580x300.jpg', '2013/03/image-alignment-150x150.jpg'])
  const dry = await f.run(file, { uploadsFrom: uploads, dryRun: true })
  const report = await f.run(file, { uploadsFrom: uploads })
  const post = (await postByWpId(f.app, 1177))!
  assert.equal((post.body_html.match(/<img src="\/uploads\//g) ?? []).length, 2, post.body_html)
  assert.match(post.body_html, /<span class="missing-image">\[Bilde mangler: Høyt bilde\]<\/span>/)
  assert.match(post.body_html, /<span class="missing-image">Ekstern logo<\/span>/)
  for (const r of [dry, report]) {
    assert.deepEqual(r.images, { copied: 2, reused: 0, missing: 1, unusable: 0, external: 1 })
    assert.match(formatReport(r).join('\n'), /2 (would be )?copied, 0 already copied, 1 missing, 0 unusable, 1 from other sites/)
  }
  assert.ok(report.problems.some((p) => p.code === 'missing-image' && p.detail.includes('2013/03/image-alignment-1200x4002.jpg')))
  assert.ok(report.problems.some((p) => p.code === 'external-image' && p.detail.includes('s.w.org')))
  assert.ok(!report.problems.some((p) => p.code === 'external-image' && p.detail.includes('files.wordpress.com')), 'not external')
})
