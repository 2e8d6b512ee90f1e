import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renderMarkdown } from '../../src/markdown/index.js'

test('GFM: tables with alignment classes, strikethrough, lists, fenced code', () => {
  const html = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\n~~borte~~\n\n1. en\n2. to\n\n- x\n- y\n\n```js\nif (a < b) alert("x")\n```\n', 'post')
  assert.match(html, /<th class="align-left">a<\/th>\s*<th class="align-center">b<\/th>\s*<th class="align-right">c<\/th>/)
  assert.match(html, /<td class="align-right">3<\/td>/)
  assert.match(html, /<del>borte<\/del>/)
  assert.match(html, /<ol>\s*<li>en<\/li>\s*<li>to<\/li>\s*<\/ol>/)
  assert.match(html, /<ul>\s*<li>x<\/li>\s*<li>y<\/li>\s*<\/ul>/)
  assert.match(html, /<pre><code class="language-js">if \(a &lt; b\) alert\("x"\)\n<\/code><\/pre>/)
  assert.doesNotMatch(html, /style=|align=/)
})

test('ordered lists keep their start number', () => {
  assert.match(renderMarkdown('3. tre\n4. fire', 'post'), /<ol start="3">/)
})

test('task list checkboxes become characters, not form controls', () => {
  const html = renderMarkdown('- [ ] gjøre\n- [x] gjort', 'post')
  assert.match(html, /<li>☐ gjøre<\/li>/)
  assert.match(html, /<li>☑ gjort<\/li>/)
  assert.doesNotMatch(html, /<input/)
})

test('post headings: h1 becomes h2, ids are slugs unique within the document', () => {
  const html = renderMarkdown('# Velkommen\n\n## Økonomi & *å være*\n\n### Velkommen\n\n## 🎉\n\n## 🎉', 'post')
  assert.equal(
    html,
    '<h2 id="velkommen">Velkommen</h2>\n' +
      '<h2 id="okonomi-a-vaere">Økonomi &amp; <em>å være</em></h2>\n' +
      '<h3 id="velkommen-2">Velkommen</h3>\n' +
      '<h2 id="avsnitt">🎉</h2>\n' +
      '<h2 id="avsnitt-2">🎉</h2>\n',
  )
})

test('heading ids start afresh for each document', () => {
  renderMarkdown('## Mål', 'post')
  assert.match(renderMarkdown('## Mål', 'post'), /<h2 id="mal">/)
})

test('comment headings become bold paragraphs', () => {
  assert.equal(renderMarkdown('# Stort\n\n### Lite', 'comment'), '<p><strong>Stort</strong></p>\n<p><strong>Lite</strong></p>\n')
})

test('post images from uploads are kept, lazy; others become their alt text', () => {
  assert.equal(
    renderMarkdown('Se ![Kart over Midtbyen](/uploads/2024/kart.png "tittel")', 'post'),
    '<p>Se <img src="/uploads/2024/kart.png" loading="lazy" alt="Kart over Midtbyen" /></p>\n',
  )
  assert.equal(renderMarkdown('![Logo](https://example.com/logo.png)', 'post'), '<p><span class="missing-image">Logo</span></p>\n')
})

test('comment images render as their alt text only', () => {
  assert.equal(renderMarkdown('Se ![et bilde & mer](/uploads/a.png) her', 'comment'), '<p>Se et bilde &amp; mer her</p>\n')
  assert.doesNotMatch(renderMarkdown('![x](/uploads/a.png)', 'comment'), /<img/)
})

test('comments keep single line breaks; posts follow plain Markdown', () => {
  assert.equal(renderMarkdown('en\nto', 'comment'), '<p>en<br />to</p>\n')
  assert.equal(renderMarkdown('en\nto', 'post'), '<p>en\nto</p>\n')
})

test('links: external get rel, internal and mailto do not, unsafe are unwrapped', () => {
  const html = renderMarkdown('[ekstern](https://example.com) [intern](/innlegg/a) [e-post](mailto:a@b.no) [ond](javascript:alert(1))', 'post')
  assert.equal(
    html,
    '<p><a href="https://example.com" rel="noopener noreferrer ugc">ekstern</a> <a href="/innlegg/a">intern</a> ' +
      '<a href="mailto:a@b.no">e-post</a> ond</p>\n',
  )
})

test('GFM autolinks work and are external', () => {
  assert.equal(
    renderMarkdown('Se www.trondheim.kommune.no', 'post'),
    '<p>Se <a href="http://www.trondheim.kommune.no" rel="noopener noreferrer ugc">www.trondheim.kommune.no</a></p>\n',
  )
})

test('raw HTML in Markdown passes the same policy', () => {
  assert.equal(renderMarkdown('<div class="x" onclick="alert(1)">hei <b>du</b></div>', 'post'), 'hei du')
  assert.equal(renderMarkdown('Tekst <abbr title="Trondheim kommune">TK</abbr>', 'post'), '<p>Tekst <abbr title="Trondheim kommune">TK</abbr></p>\n')
})

test('a provider URL alone in a paragraph becomes an embed facade in posts', () => {
  assert.equal(
    renderMarkdown('Før\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nEtter', 'post'),
    '<p>Før</p>\n' +
      '<figure class="embed" data-embed-provider="youtube" data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ">' +
      '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer ugc">Se videoen på YouTube</a></figure>\n' +
      '<p>Etter</p>\n',
  )
  assert.match(renderMarkdown('<https://vimeo.com/76979871>', 'post'), /data-embed-src="https:\/\/player\.vimeo\.com\/video\/76979871\?dnt=1"/)
})

test('provider URLs inside text, with their own link text, or in comments stay links', () => {
  const inText = renderMarkdown('Se https://youtu.be/dQw4w9WgXcQ nå', 'post')
  assert.doesNotMatch(inText, /<figure/)
  assert.match(inText, /<a href="https:\/\/youtu\.be\/dQw4w9WgXcQ"/)
  assert.doesNotMatch(renderMarkdown('[Videoen](https://youtu.be/dQw4w9WgXcQ)', 'post'), /<figure/)
  assert.doesNotMatch(renderMarkdown('https://youtu.be/dQw4w9WgXcQ', 'comment'), /<figure|data-embed/)
  assert.equal(
    renderMarkdown('https://example.com/video', 'post'),
    '<p><a href="https://example.com/video" rel="noopener noreferrer ugc">https://example.com/video</a></p>\n',
  )
})

test('empty and whitespace-only sources render to nothing', () => {
  assert.equal(renderMarkdown('', 'post'), '')
  assert.equal(renderMarkdown('  \n\n ', 'comment'), '')
})
