import { test } from 'node:test'
import assert from 'node:assert/strict'
import { deriveLead, plainText } from '../../src/markdown/index.js'
import { countWords } from '../../src/markdown/text.js'

test('plainText decodes entities, separates blocks and collapses whitespace', () => {
  assert.equal(plainText('<h2>Tittel</h2><p>a &amp; b &lt;c&gt;\n\n  d</p><ul><li>en</li><li>to</li></ul><p>x<br>y</p>'), 'Tittel a & b <c> d en to x y')
})

test('plainText keeps inline elements together and drops script content and alt texts', () => {
  assert.equal(plainText('<p>Trond<strong>heim</strong> <img src="/uploads/a.png" alt="bilde"><script>alert(1)</script></p>'), 'Trondheim')
})

test('countWords counts the words plainText gives, without parsing', () => {
  for (const html of [
    '<h2>Tittel</h2><p>a &amp; b &lt;c&gt;\n\n  d</p><ul><li>en</li><li>to</li></ul><p>x<br>y</p>',
    '<p>Trond<strong>heim</strong> <img src="/uploads/a.png" alt="to ord"> og <a href="/x?a=1&amp;b=2">en lenke</a></p>',
    '<p>ett&nbsp;to</p><blockquote><p>tre</p></blockquote><pre><code>fire fem</code></pre><table><tr><td>seks</td><td>sju</td></tr></table>',
    '',
  ]) {
    const text = plainText(html)
    assert.equal(countWords(html), text ? text.split(/\s+/).length : 0, html)
  }
})

test('deriveLead takes the first paragraph that has text', () => {
  const html = '<h2>Overskrift</h2><p><img src="/uploads/a.png" alt="x"></p><p>Første <em>avsnitt</em>.</p><p>Andre avsnitt.</p>'
  assert.equal(deriveLead(html), 'Første avsnitt.')
})

test('deriveLead falls back to all text when there is no paragraph', () => {
  assert.equal(deriveLead('<ul><li>en</li><li>to</li></ul>'), 'en to')
  assert.equal(deriveLead(''), '')
})

test('deriveLead cuts at a word boundary and adds an ellipsis within the limit', () => {
  const lead = deriveLead('<p>Bystyret vedtok i dag en ny plan for sykkelveier i hele kommunen.</p>', 30)
  assert.equal(lead, 'Bystyret vedtok i dag en ny…')
  assert.ok(lead.length <= 30)
})

test('deriveLead keeps a word that ends exactly at the limit and drops trailing punctuation', () => {
  assert.equal(deriveLead('<p>aaaa bbbb, cccc dddd</p>', 11), 'aaaa bbbb…')
  assert.equal(deriveLead('<p>aaaa bbbb cccc</p>', 10), 'aaaa bbbb…')
})

test('deriveLead cuts inside a single over-long word rather than returning nothing', () => {
  const lead = deriveLead(`<p>${'x'.repeat(50)}</p>`, 20)
  assert.equal(lead, `${'x'.repeat(19)}…`)
})

test('deriveLead leaves short text untouched', () => {
  assert.equal(deriveLead('<p>Kort.</p>', 280), 'Kort.')
})
