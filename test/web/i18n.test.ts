import { test } from 'node:test'
import assert from 'node:assert/strict'
import { catalogKeys, negotiateLanguage, translator } from '../../src/web/i18n/index.js'
import { formatter, osloLocalToIso } from '../../src/web/i18n/format.js'

test('bokmål, nynorsk and English have exactly the same keys, none empty', () => {
  const nb = catalogKeys('nb').sort()
  assert.deepEqual(catalogKeys('nn').sort(), nb)
  assert.deepEqual(catalogKeys('en').sort(), nb)
  for (const lang of ['nb', 'nn', 'en'] as const) {
    const t = translator(lang)
    for (const key of nb) assert.ok(t(key as never).trim().length > 0, `${lang}:${key}`)
  }
})

test('Accept-Language picks nb, nn or en; "no" means bokmål', () => {
  assert.equal(negotiateLanguage(undefined), 'nb')
  assert.equal(negotiateLanguage('nn-NO,nn;q=0.9,en;q=0.5'), 'nn')
  assert.equal(negotiateLanguage('en-US,en;q=0.9'), 'en')
  assert.equal(negotiateLanguage('no'), 'nb')
  assert.equal(negotiateLanguage('de-DE,en;q=0.3'), 'en')
  assert.equal(negotiateLanguage('fr'), 'nb')
  assert.equal(negotiateLanguage('en;q=0.1, nn;q=0.8'), 'nn')
})

test('a remembered Accept-Language answer is the one worked out: each header twice, case and q=0 kept apart, a long one too', () => {
  const cases: [string, string][] = [
    ['EN-gb,nb;q=0.5', 'en'], ['en-gb,nb;q=0.5', 'en'], ['en;q=0,nn;q=0.2', 'nn'], ['en;q=0.0, nb;q=0.1', 'nb'],
    ['nn;q=0.8,en', 'en'], ['nn;q=0.8,en;q=0', 'nn'], [`${'x-'.repeat(300)}nn,en;q=0.5`, 'en'], [`${'de;q=0.9,'.repeat(40)}nn`, 'nn'],
  ]
  for (let round = 0; round < 2; round++) for (const [header, lang] of cases) assert.equal(negotiateLanguage(header), lang, `${header} (ask ${round + 1})`)
})

test('remembered: each answer worked out once, afresh past its bound, never kept for a key longer than allowed', async () => {
  const { remembered } = await import('../../src/remembered.js')
  const made: string[] = []
  const upper = remembered((s: string) => s, (s: string) => (made.push(s), s.toUpperCase()), 2, 5)
  assert.deepEqual([upper('ab'), upper('ab'), upper('cd'), upper('ab')], ['AB', 'AB', 'CD', 'AB'])
  assert.deepEqual(made, ['ab', 'cd'])
  upper('ef') // a third: the two before are forgotten
  upper('ab')
  assert.deepEqual(made, ['ab', 'cd', 'ef', 'ab'])
  assert.equal(upper('toolong'), 'TOOLONG')
  assert.equal(upper('toolong'), 'TOOLONG')
  assert.deepEqual(made.slice(-2), ['toolong', 'toolong'], 'a key past the length limit is worked out each time')
  const none = remembered((s: string) => s, (s: string) => (made.push(s), null), 10)
  none('x'); none('x')
  assert.equal(made.filter((m) => m === 'x').length, 1, 'null is remembered too')
})

test('dates are shown in Oslo time, summer and winter', () => {
  assert.equal(formatter('nb').dateTime('2026-07-01T22:30:00Z'), '2. juli 2026 kl. 00:30')
  assert.equal(formatter('en').inputDateTime('2026-01-15T08:00:00Z'), '2026-01-15T09:00')
  assert.equal(osloLocalToIso('2026-07-01T09:00'), '2026-07-01T07:00:00.000Z')
  assert.equal(osloLocalToIso('2026-12-01T09:00'), '2026-12-01T08:00:00.000Z')
  assert.equal(osloLocalToIso('2026-12-01 9:00'), '2026-12-01T08:00:00.000Z', 'typed without a date picker')
  assert.equal(osloLocalToIso(' 2026-07-01  09:30 '), '2026-07-01T07:30:00.000Z')
  assert.equal(osloLocalToIso('2026-07-01 25:00'), undefined)
  assert.equal(osloLocalToIso('not a date'), undefined)
})
