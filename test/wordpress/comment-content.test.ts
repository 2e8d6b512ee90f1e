import { test } from 'node:test'
import assert from 'node:assert/strict'
import { convertWordPressComment, makeClickable } from '../../src/wordpress/comment-content.js'

test('a comment gets WordPress paragraphs and line breaks', () => {
  assert.equal(convertWordPressComment('Første linje\nandre linje\n\nNytt avsnitt med æøå.'),
    '<p>Første linje<br />\nandre linje</p>\n<p>Nytt avsnitt med æøå.</p>')
  assert.equal(convertWordPressComment('Windows-linjeskift\r\nher'), '<p>Windows-linjeskift<br />\nher</p>')
  assert.equal(convertWordPressComment('   \n '), '')
})

test('bare URLs become links, as make_clickable did; punctuation stays outside', () => {
  assert.equal(makeClickable('Se https://www.trondheim.kommune.no/data. Og www.example.no!'),
    'Se <a href="https://www.trondheim.kommune.no/data">https://www.trondheim.kommune.no/data</a>. Og <a href="http://www.example.no/">www.example.no</a>!')
})

test('URLs already in links or code are left alone', () => {
  const html = '<a href="https://a.example/">https://a.example/</a> <code>http://b.example/</code> <pre>http://c.example/</pre>'
  assert.equal(makeClickable(html), html)
})

test('javascript: and other schemes are never made into links', () => {
  assert.equal(makeClickable('javascript:alert(1) og ftp://x.example/'), 'javascript:alert(1) og ftp://x.example/')
})
