import { test } from 'node:test'
import assert from 'node:assert/strict'
import { convertWordPressHtml } from '../../src/wordpress/convert-content.js'
import { PUBLISHED_CONTENT, HOSTILE_CONTENT, SITE } from './fixtures.js'

const ctx = { siteUrls: [SITE] }
const convert = (html: string) => convertWordPressHtml(html, ctx)
const embed = (provider: string, url: string) => `<p data-embed="${provider}"><a href="${url.replaceAll('&', '&amp;')}">${url.replaceAll('&', '&amp;')}</a></p>`

test('[caption] becomes a figure with a figcaption', () => {
  const { html } = convert('[caption id="attachment_5" align="alignleft" width="300"]<a href="/stor.jpg"><img src="/liten.jpg" alt="Bro" /></a> Gamle bybro i vårsol[/caption]')
  assert.equal(html, '<figure><a href="/stor.jpg"><img src="/liten.jpg" alt="Bro" /></a><figcaption>Gamle bybro i vårsol</figcaption></figure>')
  assert.equal(convert('[caption caption="Før 2008" width="200"]<img src="/a.jpg" />[/caption]').html,
    '<figure><img src="/a.jpg" /><figcaption>Før 2008</figcaption></figure>')
  assert.equal(convert('[caption width="200"]<img src="/a.jpg" />[/caption]').html, '<p><img src="/a.jpg" /></p>')
})

test('a caption never ends up inside a paragraph', () => {
  const img = '<img src="/a.jpg" alt="a" />'
  assert.equal(convert(`<p>[caption width="300"]${img} Bro[/caption]</p>\n<p>Neste</p>`).html,
    `<figure>${img}<figcaption>Bro</figcaption></figure>\n<p>Neste</p>`)
  assert.equal(convert(`Før [caption width="300"]${img} Bro[/caption] etter`).html,
    `<p>Før </p>\n<figure>${img}<figcaption>Bro</figcaption></figure>\n<p> etter</p>`)
  assert.equal(convert(`[caption width="300"]${img}\nBro over Nidelva[/caption]`).html,
    `<figure>${img}<figcaption>Bro over Nidelva</figcaption></figure>`)
})

test('[embed] and provider URLs alone on a line become embed paragraphs, listed in order', () => {
  const result = convert('Se her:\n\n[embed width="500"]https://vimeo.com/1234567[/embed]\n\nhttp://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=30\n\nSlutt.')
  assert.equal(result.html, `<p>Se her:</p>\n${embed('vimeo', 'https://vimeo.com/1234567')}\n${embed('youtube', 'http://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30')}\n<p>Slutt.</p>`)
  assert.deepEqual(result.embeds, ['https://vimeo.com/1234567', 'http://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30'])
  assert.deepEqual(result.problems, [])
})

test('other bare URLs stay text, and provider URLs inside a sentence are left alone', () => {
  const result = convert('https://www.trondheim.kommune.no/\n\nSe https://www.youtube.com/watch?v=dQw4w9WgXcQ her.')
  assert.equal(result.html, '<p>https://www.trondheim.kommune.no/</p>\n<p>Se https://www.youtube.com/watch?v=dQw4w9WgXcQ her.</p>')
  assert.deepEqual(result.embeds, [])
})

test('YouTube, Vimeo and SlideShare players become their canonical URLs', () => {
  const result = convert([
    '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42" frameborder="0"></iframe>',
    '<p><iframe src="https://player.vimeo.com/video/76979871?title=0" width="500"></iframe></p>',
    '<iframe src="//www.slideshare.net/slideshow/embed_code/12345678" width="427" height="356"></iframe> <div>Fra <a href="https://www.slideshare.net/tk/innlegg">SlideShare</a></div>',
    '<object width="425" height="344"><param name="movie" value="http://www.youtube.com/v/abcdefghijk&amp;hl=en"></param><embed src="http://www.youtube.com/v/abcdefghijk&amp;hl=en" type="application/x-shockwave-flash"></embed></object>',
  ].join('\n\n'))
  assert.deepEqual(result.embeds, [
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42', 'https://vimeo.com/76979871',
    'https://www.slideshare.net/slideshow/embed_code/12345678', 'https://www.youtube.com/watch?v=abcdefghijk',
  ])
  assert.ok(!result.html.includes('<iframe') && !result.html.includes('<object'), result.html)
  assert.ok(!result.html.includes('<p><p'), 'no paragraph nested in a paragraph')
  assert.deepEqual(result.problems, [])
})

test('Jetpack-style [youtube], [vimeo] and [slideshare] shortcodes are embeds too', () => {
  const result = convert('[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]\n\n[youtube=http://www.youtube.com/watch?v=abcdefghijk]\n\n[vimeo 1234]\n\n[slideshare id=987&doc=rapport-123]')
  assert.deepEqual(result.embeds, ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'http://www.youtube.com/watch?v=abcdefghijk',
    'https://vimeo.com/1234', 'https://www.slideshare.net/slideshow/embed_code/987'])
})

test('unknown players become a plain link and a problem', () => {
  const result = convert('<iframe src="https://www.google.com/maps/embed?pb=abc" width="600"></iframe>')
  assert.equal(result.html, '<p><a href="https://www.google.com/maps/embed?pb=abc">https://www.google.com/maps/embed?pb=abc</a></p>')
  assert.deepEqual(result.embeds, [])
  assert.equal(result.problems.length, 1)
  assert.equal(result.problems[0]!.code, 'unknown-iframe')
  assert.match(result.problems[0]!.detail, /google\.com\/maps/)
})

test('unknown shortcodes stay as text and are reported; plain brackets are not', () => {
  const result = convert('[playlist ids="1,2"]\n\nSitat [sic] og fotnote [1].\n\n[[gallery]] viser et galleri.\n\n[column width="50%"][caption width="1"]<img src="/a.jpg" /> Tekst[/caption][/column]')
  assert.deepEqual(result.problems, [
    { code: 'unknown-shortcode', detail: '[playlist ids="1,2"]' },
    { code: 'unknown-shortcode', detail: '[column width="50%"]' },
  ])
  assert.match(result.html, /<p>\[playlist ids="1,2"\]<\/p>/)
  assert.match(result.html, /Sitat \[sic\] og fotnote \[1\]\./)
  assert.match(result.html, /<p>\[gallery\] viser et galleri\.<\/p>/)
  // The unknown wrapper stays as text around the caption it enclosed, which is still converted.
  assert.match(result.html, /<p>\[column width="50%"\]<\/p>\n<figure><img src="\/a.jpg" \/><figcaption>Tekst<\/figcaption><\/figure>\n<p>\[\/column\]<\/p>$/)
})

test('<!--more--> is removed and its teaser offered as an excerpt', () => {
  const source = 'Innledning om åpne data.\n\n<!--more Les mer-->\n\nResten av innlegget.'
  const result = convert(source)
  assert.equal(result.html, '<p>Innledning om åpne data.</p>\n<p>Resten av innlegget.</p>')
  assert.equal(result.more?.teaserHtml, '<p>Innledning om åpne data.</p>')
  assert.equal(result.more?.sourceOffset, source.indexOf('<!--more'))
  assert.equal(convert('Uten more.').more, undefined)
})

test('block-editor posts lose their block comments and are not auto-paragraphed again', () => {
  const source = '<!-- wp:paragraph -->\n<p>Første avsnitt.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->\n<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div><figcaption>Opptak fra møtet</figcaption></figure>\n<!-- /wp:embed -->'
  const result = convert(source)
  assert.ok(!result.html.includes('wp:'), result.html)
  assert.ok(!result.html.includes('<br'), 'no line breaks added')
  assert.match(result.html, /^<p>Første avsnitt\.<\/p>/)
  assert.deepEqual(result.embeds, ['https://www.youtube.com/watch?v=dQw4w9WgXcQ'])
  assert.match(result.html, /<p>Opptak fra møtet<\/p>$/)
})

test('<!--nextpage--> joins the pages and is reported', () => {
  const result = convert('Side én<!--nextpage-->Side to')
  assert.equal(result.html, '<p>Side én</p>\n<p>Side to</p>')
  assert.deepEqual(result.problems.map((p) => p.code), ['page-break'])
})

test('hostile input never becomes a link or an embed', () => {
  const result = convert(HOSTILE_CONTENT)
  assert.deepEqual(result.embeds, [])
  assert.ok(!/href="javascript/i.test(result.html.replace('<a href="javascript:alert(2)">', '')), 'only the original javascript: link remains, for the sanitizer')
  assert.ok(!result.html.includes('<iframe'))
  assert.deepEqual(result.problems.map((p) => p.code).sort(), ['bad-embed', 'unknown-iframe'])
  const quote = convert('[embed]https://www.youtube.com/watch?v=x"onmouseover="alert(1)[/embed]')
  assert.ok(!/"\s*onmouseover/.test(quote.html), quote.html)
})

test('the sample post: figure, embeds, a gallery of attachments not in the export, images and teaser together', () => {
  const result = convert(PUBLISHED_CONTENT)
  assert.deepEqual(result.embeds, ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', 'http://vimeo.com/1234567'])
  assert.deepEqual(result.problems, [
    { code: 'empty-gallery', detail: '[gallery ids="105,13" columns="2"] has no images in the export: removed' },
    { code: 'unknown-shortcode', detail: '[contact-form-7 id="9" title="Kontakt"]' },
  ], 'this test gives the converter no attachments')
  assert.deepEqual(result.missingAttachments, [105, 13])
  assert.doesNotMatch(result.html, /gallery/)
  assert.deepEqual(result.imageRefs.map((r) => [r.uploadPath, r.originalPath, r.alt]), [
    ['2009/05/bybrua-300x200.jpg', '2009/05/bybrua.jpg', 'Gamle bybro'],
    ['2010/02/mangler.png', undefined, 'Kart over Midtbyen'],
  ])
  assert.deepEqual(result.linkRefs.map((r) => r.uploadPath), ['2009/05/bybrua.jpg'])
  assert.match(result.html, /<p>Trondheim kommune har åpnet et nytt datasett\. Her er høydepunktene fra møtet på Øya\.<br \/>\nNeste linje i samme avsnitt\.<\/p>/)
  assert.match(result.html, /<pre>kode {2}med\n\tinnrykk<\/pre>$/)
  assert.match(result.more?.teaserHtml ?? '', /<figcaption>Gamle bybro i vårsol<\/figcaption><\/figure>$/)
})
