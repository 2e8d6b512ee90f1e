import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  graphemeLength, hasControlChars, mentionCandidates, normaliseText, renderMicroHtml, resolvedMentions, snippet, tagsOf, tokenize,
} from '../../src/micro/text.js'

test('characters are counted as a person sees them', () => {
  assert.equal(graphemeLength('hei'), 3)
  assert.equal(graphemeLength('👍🏽'), 1, 'emoji with skin tone')
  assert.equal(graphemeLength('🇳🇴'), 1, 'flag')
  assert.equal(graphemeLength('👩‍👩‍👧'), 1, 'family (ZWJ sequence)')
  assert.equal(graphemeLength('e\u0301'), 1, 'combining accent')
  assert.equal(graphemeLength('æøå'), 3)
})

test('text is normalised and control characters are found', () => {
  assert.equal(normaliseText('  a\r\nb\rc  '), 'a\nb\nc')
  assert.equal(normaliseText('e\u0301'), 'é')
  assert.equal(hasControlChars('a\nb\tc'), false)
  for (const c of ['\u0000', '\u0007', '\u001b', '\u007f', '\u0085']) assert.equal(hasControlChars(`a${c}b`), true, JSON.stringify(c))
})

test('tokens: URLs, tags and mentions; e-mail addresses and C# stay text', () => {
  const tokens = tokenize('Se https://trondheim.kommune.no/a_(b). #Økonomi @Kari. kari@example.no C#')
  assert.deepEqual(tokens.filter((t) => t.type !== 'text'), [
    { type: 'url', text: 'https://trondheim.kommune.no/a_(b)', href: 'https://trondheim.kommune.no/a_(b)' },
    { type: 'tag', text: '#Økonomi', tag: 'økonomi' },
    { type: 'mention', text: '@Kari.', username: 'kari.' },
  ])
  assert.deepEqual(tagsOf('#a #b #a #c-'), ['a', 'b', 'c'])
  assert.deepEqual(tokenize('(se https://x.no/side)').map((t) => t.text), ['(se ', 'https://x.no/side', ')'])
})

test('only http and https URLs become links, never javascript: or user:pass@host', () => {
  for (const text of ['javascript:alert(1)', 'ftp://x.no/a', 'https://trondheim.kommune.no@evil.example/']) {
    const html = renderMicroHtml(text, new Set())
    assert.doesNotMatch(html, /<a /, text)
  }
})

test('the HTML is escaped text with links; mentions link only to users that exist', () => {
  const html = renderMicroHtml('<script>alert("x")</script> & @kari @ghost\n\nNy avsnitt #tag https://a.no/?q="x"', new Set(['kari']))
  assert.doesNotMatch(html, /<script/)
  assert.match(html, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; /)
  assert.match(html, /<a href="\/users\/kari" class="mention">@kari<\/a>/)
  assert.match(html, / @ghost<\/p>/, 'a mention of nobody stays plain text')
  assert.match(html, /<p>Ny avsnitt <a href="\/tags\/tag" class="hashtag">#tag<\/a> <a href="https:\/\/a.no\/\?q=" rel="noopener noreferrer ugc">https:\/\/a.no\/\?q=<\/a>&quot;x&quot;<\/p>/)
  assert.equal(renderMicroHtml('a\nb', new Set()), '<p>a<br>\nb</p>')
})

test('a mention followed by a full stop resolves to the user', () => {
  assert.deepEqual(mentionCandidates('Takk @per.'), ['per.', 'per'])
  assert.deepEqual(resolvedMentions('Takk @per.', new Set(['per'])), ['per'])
  assert.equal(renderMicroHtml('Takk @per.', new Set(['per'])), '<p>Takk <a href="/users/per" class="mention">@per</a>.</p>')
  assert.deepEqual(resolvedMentions('@x' + 'a'.repeat(40), new Set()), [], 'too long to be a username')
})

test('snippets cut at grapheme boundaries', () => {
  assert.equal(snippet('kort'), 'kort')
  assert.equal(snippet('👍🏽'.repeat(5), 3), '👍🏽👍🏽👍🏽…')
  assert.equal(snippet('a\n\nb'), 'a b')
})
