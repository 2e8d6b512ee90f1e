// [gallery] becomes a list of figures made from the export's attachments.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { convertWordPressHtml } from '../../src/wordpress/convert-content.js'
import type { GalleryAttachment } from '../../src/wordpress/gallery.js'

const FILES = 'https://betatrondheim.files.wordpress.com'
const attachment = (id: number, over: Partial<GalleryAttachment> = {}): GalleryAttachment => ({
  id, url: `${FILES}/2013/03/bilde-${id}.jpg`, alt: `Alt ${id}`, caption: '', title: `Bilde ${id}`, parentId: 7, menuOrder: 0, ...over,
})
const attachments = new Map([
  attachment(21, { caption: 'Nidarosdomen <em>om kvelden</em>', menuOrder: 2 }),
  attachment(22, { alt: '', caption: 'Bakklandet', menuOrder: 1 }),
  attachment(23, { alt: '', menuOrder: 3 }),
  attachment(24, { url: `${FILES}/2013/03/rapport.pdf`, menuOrder: 0 }),
  attachment(30, { parentId: 8 }),
].map((a) => [a.id, a]))
const ctx = { siteUrls: ['https://betatrondheim.no'], uploadBases: [`${FILES}/`], gallery: { attachments, postId: 7 } }
const convert = (html: string) => convertWordPressHtml(html, ctx)
const srcs = (html: string) => [...html.matchAll(/<img src="[^"]*bilde-(\d+)\.jpg"/g)].map((m) => Number(m[1]))

test('[gallery ids] lists its images in the written order as figures with alt text and captions, never inside a paragraph', () => {
  const result = convert('Før\n\n[gallery ids="23,21,22"]\n\nEtter')
  assert.deepEqual(srcs(result.html), [23, 21, 22])
  assert.equal(result.html, '<p>Før</p>\n<ul class="gallery gallery-columns-3 gallery-crop">' +
    `<li><figure><a href="${FILES}/2013/03/bilde-23.jpg"><img src="${FILES}/2013/03/bilde-23.jpg" alt="Bilde 23"></a></figure></li>` +
    `<li><figure><a href="${FILES}/2013/03/bilde-21.jpg"><img src="${FILES}/2013/03/bilde-21.jpg" alt="Alt 21"></a><figcaption>Nidarosdomen <em>om kvelden</em></figcaption></figure></li>` +
    `<li><figure><a href="${FILES}/2013/03/bilde-22.jpg"><img src="${FILES}/2013/03/bilde-22.jpg" alt="Bakklandet"></a><figcaption>Bakklandet</figcaption></figure></li>` +
    '</ul>\n<p>Etter</p>')
  assert.deepEqual(result.problems, [])
  assert.deepEqual(result.imageRefs.map((r) => r.uploadPath), ['2013/03/bilde-23.jpg', '2013/03/bilde-21.jpg', '2013/03/bilde-22.jpg'],
    'the images are the blog\'s own, to be taken from --uploads')
})

test('[gallery] without ids shows the images attached to the post by menu order; other files and other posts\' images are left out', () => {
  assert.deepEqual(srcs(convert('[gallery]').html), [22, 21, 23])
  assert.deepEqual(srcs(convert('[gallery order="DESC"]').html), [23, 21, 22])
  assert.deepEqual(srcs(convert('[gallery exclude="21"]').html), [22, 23])
  assert.deepEqual(srcs(convert('[gallery id="8"]').html), [30])
  assert.deepEqual(srcs(convert('[gallery ids="22,21" orderby="menu_order"]').html), [22, 21])
})

test('columns, size and link are honoured', () => {
  const { html } = convert('[gallery ids="21" columns="2" size="large" link="none"]')
  assert.match(html, /^<ul class="gallery gallery-columns-2"><li><figure><img src="[^"]+bilde-21\.jpg" alt="Alt 21"><figcaption>/)
  assert.match(convert('[gallery ids="21" link="file" columns="12"]').html, /^<ul class="gallery gallery-crop"><li><figure><a href=/)
})

test('ids the export does not hold are reported as missing; a gallery with nothing left is removed and reported', () => {
  const some = convert('[gallery ids="21,99"]')
  assert.deepEqual(srcs(some.html), [21])
  assert.deepEqual(some.missingAttachments, [99])
  const none = convert('Tekst\n\n[gallery ids="98,99"]')
  assert.equal(none.html, '<p>Tekst</p>')
  assert.deepEqual(none.missingAttachments, [98, 99])
  assert.deepEqual(none.problems, [{ code: 'empty-gallery', detail: '[gallery ids="98,99"] has no images in the export: removed' }])
  assert.equal(convertWordPressHtml('[gallery]', { siteUrls: [] }).problems[0]?.code, 'empty-gallery', 'no attachments at all')
})

test('[[gallery]] is still the literal text', () => {
  assert.equal(convert('[[gallery ids="21"]]').html, '<p>[gallery ids="21"]</p>')
})
