import { test } from 'node:test'
import assert from 'node:assert/strict'
import { foldWord, fromIndexText, highlight, parseQuery, toIndexText, toMatchExpression } from '../../src/search/text.js'

test('every unquoted word is a prefix term; words shorter than three letters are exact', () => {
  assert.deepEqual(parseQuery('Kommun økonomi'), [
    { words: ['kommun'], prefix: true },
    { words: ['økonomi'], prefix: true },
  ])
  assert.deepEqual(parseQuery('x IT app'), [{ words: ['x'], prefix: false }, { words: ['it'], prefix: false }, { words: ['app'], prefix: true }])
})

test('quoted phrases stay exact; words joined by punctuation become a phrase', () => {
  assert.deepEqual(parseQuery('"digital samhandling" e-post'), [
    { words: ['digital', 'samhandling'], prefix: false },
    { words: ['e', 'post'], prefix: true },
  ])
})

test('FTS syntax is only text: operators, stars, brackets and stray quotes', () => {
  // ("and" is a stopword: beside other words it is left out.)
  assert.deepEqual(parseQuery('NEAR(kommune* -skole) AND "uavsluttet'), [
    { words: ['near'], prefix: true },
    { words: ['kommune'], prefix: true },
    { words: ['skole'], prefix: true },
    { words: ['uavsluttet'], prefix: true },
  ])
  assert.deepEqual(parseQuery('*** --- ( ) " "" ^ : {}'), [])
  const expr = toMatchExpression(parseQuery('title:x OR {body}:y NOT z "a" ^b'))!
  // Every word is inside quotes: nothing the user typed can act as an operator or a column filter.
  const outside = expr.replace(/"[^"]*"/g, '""')
  assert.equal(outside, '{title lead body tags} : ("" "" ""* "" ""* "" "" "")')
})

test('the match expression adds the tag facet', () => {
  const terms = parseQuery('kommune')
  assert.equal(toMatchExpression(terms), '{title lead body tags} : ("kommune"*)')
  assert.equal(toMatchExpression(terms, { tagId: 12 }), '{title lead body tags} : ("kommune"*) AND facets : "t12"')
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
  // Control and private-use characters from content never reach the index.
  assert.equal(toIndexText('x\u0002y\uE000z'), 'xyz')
})

test('highlighting: escaped text, our own <mark> around matching words only', () => {
  const terms = parseQuery('kommun "åpne data"')
  const { html, matched } = highlight('<b>Kommunen</b> & "Åpne data" – ikke apne data, men kommunal økonomi.', terms)
  assert.ok(matched)
  assert.equal(html, '&lt;b&gt;<mark>Kommunen</mark>&lt;/b&gt; &amp; &quot;<mark>Åpne data</mark>&quot; – ikke apne data, men <mark>kommunal</mark> økonomi.')
  assert.equal(highlight('Ingen treff her', terms).matched, false)
  assert.equal(highlight('Ingen <treff> her', terms).html, 'Ingen &lt;treff&gt; her')
})

test('highlighting folds accents like the index, but keeps æ, ø and å apart', () => {
  assert.equal(foldWord('Kafé'), 'kafe')
  assert.equal(foldWord('Über'), 'uber')
  assert.equal(foldWord('Åpen'), 'åpen')
  assert.equal(foldWord('ØKONOMI'), 'økonomi')
  assert.equal(highlight('Møte på kafé', parseQuery('kafe')).html, 'Møte på <mark>kafé</mark>')
  assert.equal(highlight('ærlig og arlig', parseQuery('arlig')).html, 'ærlig og <mark>arlig</mark>')
})

test('a snippet is a window of words around the first match', () => {
  const words = Array.from({ length: 100 }, (_, i) => `ord${i}`)
  words[60] = 'budsjett'
  const { html } = highlight(words.join(' '), parseQuery('budsjett'), 20)
  assert.match(html, /^…ord55 /)
  assert.match(html, /<mark>budsjett<\/mark>/)
  assert.match(html, / ord74…$/)
  const start = highlight(words.join(' '), parseQuery('finnes'), 10).html
  assert.equal(start, 'ord0 ord1 ord2 ord3 ord4 ord5 ord6 ord7 ord8 ord9…')
})

test('stopwords are left out beside other words, kept alone or in quotes', () => {
  assert.deepEqual(parseQuery('kommunen og økonomi').map((t) => t.words.join(' ')), ['kommunen', 'økonomi'])
  assert.deepEqual(parseQuery('og').map((t) => t.words.join(' ')), ['og'])
  assert.deepEqual(parseQuery('"hus og hjem" i dag').map((t) => t.words.join(' ')), ['hus og hjem', 'dag'])
})
