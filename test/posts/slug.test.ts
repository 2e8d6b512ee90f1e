import { test } from 'node:test'
import assert from 'node:assert/strict'
import { MAX_SLUG_LENGTH, normaliseTag, parseTags, slugify, uniqueSlug } from '../../src/posts/slug.js'

test('slugify: Norwegian letters by the usual URL convention', () => {
  assert.equal(slugify('Ærlig talt: Økonomi på Østre Åsen'), 'aerlig-talt-okonomi-pa-ostre-asen')
  assert.equal(slugify('BÆR, BLÅBÆR og SØPPEL'), 'baer-blabaer-og-soppel')
})

test('slugify: other diacritics are stripped', () => {
  assert.equal(slugify('Café Über naïve Señor'), 'cafe-uber-naive-senor')
  assert.equal(slugify('Straße Đuro Čáhcesuolu ŋ'), 'strasse-duro-cahcesuolu-n')
  // Decomposed input (å as a + combining ring) gives the same slug as composed input.
  assert.equal(slugify('Tra\u0308ff pa\u030a'), 'traff-pa')
})

test('slugify: runs of other characters become one hyphen, trimmed', () => {
  assert.equal(slugify('  Hei -- verden!!! (2024) '), 'hei-verden-2024')
  assert.equal(slugify('a/b\\c?d#e&f'), 'a-b-c-d-e-f')
  assert.equal(slugify('Tall: 3,5 % 🎉'), 'tall-3-5')
})

test('slugify: empty results fall back', () => {
  assert.equal(slugify(''), 'innlegg')
  assert.equal(slugify('!!! 🎉 ---'), 'innlegg')
  assert.equal(slugify('Привет'), 'innlegg')
  assert.equal(slugify('', 'side'), 'side')
})

test('slugify: at most 80 characters, cut at a hyphen', () => {
  const title = 'Kommunedirektørens innstilling til budsjett og økonomiplan for perioden fra tjuefemogtjue til tjueåtte'
  const slug = slugify(title)
  assert.ok(slug.length <= MAX_SLUG_LENGTH, slug)
  assert.equal(slug, 'kommunedirektorens-innstilling-til-budsjett-og-okonomiplan-for-perioden-fra')
  assert.ok(!slug.endsWith('-'))
})

test('slugify: a cut exactly at a hyphen keeps the whole last word', () => {
  const words = `${'a'.repeat(40)}-${'b'.repeat(39)}` // 80 characters
  assert.equal(slugify(`${words} ccc`), words)
})

test('slugify: one very long word is hard cut at 80', () => {
  assert.equal(slugify('x'.repeat(200)), 'x'.repeat(80))
})

test('uniqueSlug appends -2, -3 … until free', () => {
  const taken = new Set(['budsjett', 'budsjett-2'])
  assert.equal(uniqueSlug('budsjett', (s) => taken.has(s)), 'budsjett-3')
  assert.equal(uniqueSlug('ny', (s) => taken.has(s)), 'ny')
})

test('uniqueSlug stays within the length limit', () => {
  const base = slugify(`${'ord-'.repeat(30)}slutt`)
  const slug = uniqueSlug(base, (s) => s === base)
  assert.ok(slug.length <= MAX_SLUG_LENGTH, slug)
  assert.match(slug, /^ord-(?:ord-)*ord-2$/)
})

test('normaliseTag: trimmed, lower-cased, Norwegian letters kept', () => {
  assert.equal(normaliseTag('  IKT '), 'ikt')
  assert.equal(normaliseTag('Økonomi'), 'økonomi')
  assert.equal(normaliseTag('#Bærekraft'), 'bærekraft')
  assert.equal(normaliseTag('Digital   transformasjon'), 'digital-transformasjon')
  assert.equal(normaliseTag('covid-19'), 'covid-19')
  assert.equal(normaliseTag('a - b'), 'a-b')
  assert.equal(normaliseTag('A\u030Ar'), 'år') // decomposed input is composed
})

test('normaliseTag: invalid or empty tags are undefined', () => {
  for (const bad of ['', '   ', '#', '---', 'c++', 'a_b', 'ikt/økonomi', '<script>', 'e-post@kommune', 'x'.repeat(41)]) {
    assert.equal(normaliseTag(bad), undefined, bad)
  }
  assert.equal(normaliseTag('x'.repeat(40)), 'x'.repeat(40))
  assert.equal(normaliseTag('ø'.repeat(40)), 'ø'.repeat(40))
})

test('parseTags: split, normalised, deduplicated, invalid ones reported as typed', () => {
  assert.deepEqual(parseTags('IKT, ikt ,Økonomi; c++,, skole'), { tags: ['ikt', 'økonomi', 'skole'], invalid: ['c++'] })
  assert.deepEqual(parseTags(''), { tags: [], invalid: [] })
  assert.deepEqual(parseTags(' , ;'), { tags: [], invalid: [] })
})

test('parseTags: at most 10 tags; the rest are reported', () => {
  const input = Array.from({ length: 12 }, (_, i) => `tag${i + 1}`).join(', ')
  const { tags, invalid } = parseTags(`${input}, tag1`)
  assert.equal(tags.length, 10)
  assert.deepEqual(tags.at(-1), 'tag10')
  assert.deepEqual(invalid, ['tag11', 'tag12'])
})
