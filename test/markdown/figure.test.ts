// The figure form of an image: one line of Markdown, rendered as <figure> with the credit as caption.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renderMarkdown } from '../../src/markdown/index.js'

const URL = '/uploads/2026/05/0123456789abcdef0123456789abcdef.jpg'

test('an image with a title alone on its line is a figure with the title as caption', () => {
  assert.equal(
    renderMarkdown(`Før\n\n![Rådhuset i sol](${URL} "Foto: Kari Nordmann, CC BY")\n\nEtter`, 'post'),
    `<p>Før</p>\n<figure><img src="${URL}" loading="lazy" alt="Rådhuset i sol" /><figcaption>Foto: Kari Nordmann, CC BY</figcaption></figure>\n<p>Etter</p>\n`,
  )
})

test('the caption is text: markup in it is escaped, quotes may be escaped in the Markdown', () => {
  const html = renderMarkdown(`![A](${URL} "Foto: \\"Kari\\" <script>x()</script> & co")`, 'post')
  assert.match(html, /<figcaption>Foto: "Kari" &lt;script&gt;x\(\)&lt;\/script&gt; &amp; co<\/figcaption>/)
  assert.doesNotMatch(html, /<script/)
})

test('without a title, inside text, or in a comment, an image stays what it was', () => {
  assert.equal(renderMarkdown(`![A](${URL})`, 'post'), `<p><img src="${URL}" loading="lazy" alt="A" /></p>\n`)
  assert.doesNotMatch(renderMarkdown(`Se ![A](${URL} "Foto") her`, 'post'), /<figure/)
  assert.equal(renderMarkdown(`![A](${URL} "Foto")`, 'comment'), '<p>A</p>\n')
})

test('an image from elsewhere in the figure form still shows only its alt text', () => {
  const html = renderMarkdown('![Kart](https://tracker.example/x.png "Kilde")', 'post')
  assert.doesNotMatch(html, /tracker\.example/)
  assert.match(html, /<span class="missing-image">Kart<\/span><figcaption>Kilde<\/figcaption>/)
})
