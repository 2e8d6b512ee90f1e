import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  fromIndexText, MARK_CLOSE, MARK_OPEN, parseQuery, snippetToHtml, toIndexText, toMatchExpression,
} from '../../src/search/text.js'

test('every unquoted word is a prefix term; short words are exact', () => {
  assert.deepEqual(parseQuery('Kommun økonomi'), [
    { words: ['kommun'], prefix: true },
    { words: ['økonomi'], prefix: true },
  ])
  assert.deepEqual(parseQuery('a IT'), [{ words: ['a'], prefix: false }, { words: ['it'], prefix: true }])
})

test('quoted phrases stay exact; words joined by punctuation become a phrase', () => {
  assert.deepEqual(parseQuery('"digital samhandling" e-post'), [
    { words: ['digital', 'samhandling'], prefix: false },
    { words: ['e', 'post'], prefix: true },
  ])
})

test('FTS syntax is only text: operators, stars, brackets and stray quotes', () => {
  assert.deepEqual(parseQuery('NEAR(kommune* -skole) AND "uavsluttet'), [
    { words: ['near'], prefix: true },
    { words: ['kommune'], prefix: true },
    { words: ['skole'], prefix: true },
    { words: ['and'], prefix: true },
    { words: ['uavsluttet'], prefix: true },
  ])
  assert.deepEqual(parseQuery('*** --- ( ) " "" ^ : {}'), [])
  const expr = toMatchExpression(parseQuery('title:x OR {body}:y NOT z "a" ^b'))!
  // Every word is inside quotes: nothing the user typed can act as an operator or a column filter.
  const outside = expr.replace(/"[^"]*"/g, '""')
  assert.equal(outside, '{title lead body tags} : ("" ""* ""* "" ""* "" "" "")')
})

test('the match expression adds the kind and tag facets', () => {
  const terms = parseQuery('kommune')
  assert.equal(toMatchExpression(terms), '{title lead body tags} : ("kommune"*)')
  assert.equal(toMatchExpression(terms, { kind: 'micro', tagId: 12 }), '{title lead body tags} : ("kommune"*) AND facets : "kmicro" AND facets : "t12"')
  assert.equal(toMatchExpression([]), undefined)
})

test('long queries are cut and at most ten terms are used', () => {
  assert.equal(parseQuery('ord '.repeat(50)).length, 10)
  assert.ok(parseQuery('x'.repeat(5000))[0]!.words[0]!.length <= 200)
})

test('å is kept apart from a in the index; æ, ø and case survive the round trip', () => {
  assert.equal(toIndexText('Åpen årsrapport'), 'A\uE000pen a\uE000rsrapport')
  assert.equal(fromIndexText(toIndexText('Åpen årsrapport – Ærlig Økonomi')), 'Åpen årsrapport – Ærlig Økonomi')
  // Decomposed å (a + combining ring) is normalised first.
  assert.equal(toIndexText('a\u030Apen'), 'a\uE000pen')
  // Control and private-use characters from content cannot fake markers.
  assert.equal(toIndexText(`x${MARK_OPEN}y\uE000z`), 'xyz')
})

test('snippets become HTML with only our own <mark> elements', () => {
  const html = snippetToHtml(`<script>alert(1)</script> ${MARK_OPEN}a\uE000pen${MARK_CLOSE} & "x"`)
  assert.equal(html, '&lt;script&gt;alert(1)&lt;/script&gt; <mark>åpen</mark> &amp; &quot;x&quot;')
})
