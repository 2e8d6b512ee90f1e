// Cases ported from WordPress's own tests (tests/phpunit/tests/formatting/Autop.php).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { wpautop } from '../../src/wordpress/wpautop.js'

const autop = (text: string) => wpautop(text).trim()

test('blank lines make paragraphs, single newlines <br />', () => {
  const input = '\nVelkommen til BetaTrondheim!  Her skriver vi om IKT.\n\nFørst:\n<ul>\n<li><a href="/om">Om oss</a></li>\n</ul>\nLinje én.\nLinje to.\n\nHilsen Kari'
  assert.equal(autop(input), '<p>Velkommen til BetaTrondheim!  Her skriver vi om IKT.</p>\n<p>Først:</p>\n<ul>\n<li><a href="/om">Om oss</a></li>\n</ul>\n<p>Linje én.<br />\nLinje to.</p>\n<p>Hilsen Kari</p>')
})

test('leaves <pre> alone', () => {
  const code = 'function x() {\n\n  return 1\n}'
  assert.equal(autop(`<pre>${code}</pre>`), `<pre>${code}</pre>`)
  assert.equal(autop(`Se koden\n\n<pre>${code}</pre>\n\nKult?`), `<p>Se koden</p>\n<pre>${code}</pre>\n<p>Kult?</p>`)
  const breaks = 'Line1<br />Line2<br>Line3<br/>Line4\nActual Line 2'
  assert.equal(autop(`Se\n\n<pre>${breaks}</pre>\n\nHa`), `<p>Se</p>\n<pre>${breaks}</pre>\n<p>Ha</p>`)
})

test('does not add <br /> around inputs, selects and options', () => {
  const input = 'Brukernavn: <input type="text" name="u" /><br />Passord: <input type="password" name="p" />'
  assert.equal(autop(input), `<p>${input}</p>`)
  const select = 'Bydel: <select name="b"><option value="1">Midtbyen</option><option value="2">Østbyen</option></select>'
  assert.equal(autop(select), `<p>${select}</p>`)
})

test('treats block-level elements as blocks', () => {
  const blocks = ['table', 'div', 'ul', 'ol', 'li', 'blockquote', 'address', 'h1', 'h6', 'section', 'figure', 'details']
  const content = blocks.map((b) => `<${b}>foo</${b}>`)
  const expected = blocks.map((b) => (b === 'blockquote' ? '<blockquote><p>foo</p></blockquote>' : `<${b}>foo</${b}>`)).join('\n')
  assert.equal(autop(content.join('\n\n')), expected)
  assert.equal(autop(content.join('')), expected)
})

test('wraps inline elements in paragraphs', () => {
  const inlines = ['a', 'em', 'strong', 'code', 'span', 'noscript']
  assert.equal(autop(inlines.map((i) => `<${i}>foo</${i}>`).join('\n\n')), inlines.map((i) => `<p><${i}>foo</${i}></p>`).join('\n'))
})

test('newlines inside tags and comments are not line breaks', () => {
  assert.equal(wpautop("Hello <a\nhref='world'>"), "<p>Hello <a\nhref='world'></p>\n")
  assert.equal(wpautop("Hello <!-- a\nhref='world' -->"), "<p>Hello <!-- a\nhref='world' --></p>\n")
})

test('handles <br> the WordPress way', () => {
  assert.equal(autop('\nline 1<br>\nline 2<br/>\nline 3<br />\nline 4\nline 5\n'), '<p>line 1<br />\nline 2<br />\nline 3<br />\nline 4<br />\nline 5</p>')
  assert.equal(autop('\nline 1<br>\n<br/>\nline 2<br/>\n<br />\n'), '<p>line 1</p>\n<p>line 2</p>')
})

test('text before a block, <hr>, figures, scripts and svg', () => {
  assert.equal(autop('a<div>b</div>'), '<p>a</p>\n<div>b</div>')
  assert.equal(autop('paragraph1<hr>paragraph2'), '<p>paragraph1</p>\n<hr>\n<p>paragraph2</p>')
  const figure = '<figure><img src="example.jpg" /><figcaption>Caption</figcaption></figure>'
  assert.equal(autop(figure), figure)
  assert.equal(autop('<figure>\n<img src="example.jpg" />\n<figcaption>Caption</figcaption>\n</figure>'), '<figure>\n<img src="example.jpg" /><figcaption>Caption</figcaption></figure>')
  const script = '<script type="text/javascript">\n\tvar dummy = 1;\n</script>'
  assert.equal(autop(script), `<p>${script}</p>`)
  const svg = '<svg xmlns="http://www.w3.org/2000/svg">\n<circle cx="50" cy="50" r="30"/>\n</svg>'
  assert.equal(autop(svg), `<p>${svg}</p>`)
})

test('keeps <object>, <param> and <embed> together', () => {
  const input = 'Avsnitt én.\n\n<object width="400">\n\t<param name="movie" value="http://www.youtube.com/v/abc" />\n\n\t<embed src="http://www.youtube.com/v/abc" />\n</object>\n\nAvsnitt to.'
  assert.equal(autop(input), '<p>Avsnitt én.</p>\n<p><object width="400"><param name="movie" value="http://www.youtube.com/v/abc" /><embed src="http://www.youtube.com/v/abc" /></object></p>\n<p>Avsnitt to.</p>')
})

test('empty input stays empty', () => {
  assert.equal(wpautop('  \n\n '), '')
})
