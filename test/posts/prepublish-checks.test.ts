import { test } from 'node:test'
import assert from 'node:assert/strict'
import { renderMarkdown } from '../../src/markdown/index.js'
import { checkContent, isValidAccountNumber, isValidFodselsnummer } from '../../src/posts/prepublish-checks.js'
import type { Finding } from '../../src/posts/prepublish-checks.js'

// Test numbers are synthetic: the individual numbers 500–749 with years 54–99 belong to people born
// in the 1800s, so no living person has them.

function mod11(digits: number[], weights: number[]): number | undefined {
  const r = 11 - (digits.reduce((sum, d, i) => sum + d * (weights[i] ?? 0), 0) % 11)
  return r === 11 ? 0 : r === 10 ? undefined : r
}

/** A valid fødselsnummer for the date (DDMMYY; add 40 to the day for a D-nummer). */
function makeFodselsnummer(date: string): string {
  for (let individual = 500; individual < 750; individual++) {
    const d = `${date}${individual}`.split('').map(Number)
    const k1 = mod11(d, [3, 7, 6, 1, 8, 9, 4, 5, 2])
    const k2 = k1 === undefined ? undefined : mod11([...d, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
    if (k1 !== undefined && k2 !== undefined) return `${date}${individual}${k1}${k2}`
  }
  throw new Error(`no valid number for ${date}`)
}

function withWrongDigit(fnr: string, index: number): string {
  const digit = (Number(fnr[index]) + 1) % 10
  return `${fnr.slice(0, index)}${digit}${fnr.slice(index + 1)}`
}

function check(markdown: string): Finding[] {
  return checkContent(renderMarkdown(markdown, 'post'), markdown)
}

function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code)
}

test('isValidFodselsnummer: hand-computed numbers', () => {
  assert.equal(isValidFodselsnummer('01016050012'), true) // 1 Jan 1860
  assert.equal(isValidFodselsnummer('010160 50012'), true)
  assert.equal(isValidFodselsnummer('41016050006'), true) // the same date as a D-nummer
  assert.equal(isValidFodselsnummer('01016050013'), false)
  assert.equal(isValidFodselsnummer('0101605001'), false)
  assert.equal(isValidFodselsnummer('010160500123'), false)
  assert.equal(isValidFodselsnummer('0101605001a'), false)
})

test('isValidFodselsnummer: generated numbers pass, any changed digit fails', () => {
  for (const date of ['010160', '311299', '290296', '150770', '451070', '710160']) {
    const fnr = makeFodselsnummer(date)
    assert.equal(isValidFodselsnummer(fnr), true, fnr)
    for (const i of [0, 3, 6, 9, 10]) assert.equal(isValidFodselsnummer(withWrongDigit(fnr, i)), false, `${fnr} #${i}`)
  }
})

test('isValidFodselsnummer: impossible dates fail even with right check digits', () => {
  for (const date of ['320160', '001260', '011360', '010060', '310460', '300260', '290297', '720160', '400160']) {
    assert.equal(isValidFodselsnummer(makeFodselsnummer(date)), false, date)
  }
})

test('isValidAccountNumber: mod-11 check digit', () => {
  assert.equal(isValidAccountNumber('12345678903'), true)
  assert.equal(isValidAccountNumber('12345678904'), false)
  assert.equal(isValidAccountNumber('1234567890'), false)
})

test('a fødselsnummer in the text is serious, masked in the detail', () => {
  const fnr = makeFodselsnummer('150770')
  for (const written of [fnr, `${fnr.slice(0, 6)} ${fnr.slice(6)}`]) {
    assert.deepEqual(check(`Søkeren (${written}) har fått svar.`), [
      { code: 'national-id-number', severity: 'serious', detail: '150770*****' },
    ])
  }
  assert.deepEqual(codes(check(`D-nummer: ${makeFodselsnummer('451070')}`)), ['national-id-number'])
})

test('a fødselsnummer only in the Markdown source (an HTML comment) is found too', () => {
  const fnr = makeFodselsnummer('010160')
  const markdown = `Tekst\n\n<!-- ${fnr} -->`
  assert.doesNotMatch(renderMarkdown(markdown, 'post'), new RegExp(fnr))
  assert.deepEqual(codes(check(markdown)), ['national-id-number'])
})

test('numbers that merely look like a fødselsnummer are not flagged', () => {
  const fnr = makeFodselsnummer('010160')
  assert.deepEqual(check(`Saksnummer ${withWrongDigit(fnr, 10)} og ${withWrongDigit(fnr, 9)}`), [])
  assert.deepEqual(check(`Telefon 73 83 00 00, org.nr. 942 110 464, tall 12345678901`), [])
  assert.deepEqual(check(`Lengre tall: 9${fnr} og ${fnr}9`), [])
})

test('a formatted bank account number is a warning', () => {
  assert.deepEqual(check('Gaver til kontonummer 1234.56.78903.'), [
    { code: 'bank-account-number', severity: 'warning', detail: '1234.56.78903' },
  ])
  assert.deepEqual(codes(check('Konto 1234 56 78903')), ['bank-account-number'])
  assert.deepEqual(check('Konto 1234.56.78904 og 1234.56 78903'), [])
})

test('images without alt text are serious', () => {
  const findings = check('![](/uploads/a.png)\n\n![  ](/uploads/b.png)\n\n![Kart](/uploads/c.png)')
  assert.deepEqual(findings, [
    { code: 'image-missing-alt', severity: 'serious', detail: '/uploads/a.png' },
    { code: 'image-missing-alt', severity: 'serious', detail: '/uploads/b.png' },
  ])
  assert.deepEqual(codes(checkContent('<p><img src="/uploads/d.png"></p>', '')), ['image-missing-alt'])
})

test('skipped heading levels are warnings; the page title counts as h1', () => {
  assert.deepEqual(check('## To\n\n#### Fire\n\n### Tre\n\n## To igjen\n\n### Tre igjen'), [
    { code: 'heading-level-skipped', severity: 'warning', detail: 'Fire' },
  ])
  assert.deepEqual(codes(check('### Starter på tre')), ['heading-level-skipped'])
  assert.deepEqual(check('## A\n\n### B\n\n#### C\n\n## D'), [])
})

test('vague link texts are warnings, whatever the case and punctuation', () => {
  const findings = check('[Klikk her](/a), [her](/b), [Les mer »](/c), [click HERE!](https://example.com), [lenke](/d), [Budsjettet for 2025](/e)')
  assert.deepEqual(findings.map((f) => [f.code, f.severity, f.detail]), [
    ['vague-link-text', 'warning', 'Klikk her'],
    ['vague-link-text', 'warning', 'her'],
    ['vague-link-text', 'warning', 'Les mer »'],
    ['vague-link-text', 'warning', 'click HERE!'],
    ['vague-link-text', 'warning', 'lenke'],
  ])
})

test('the same finding is reported once', () => {
  const fnr = makeFodselsnummer('010160')
  assert.equal(check(`${fnr} og ${fnr}\n\n[her](/a) [her](/b)`).length, 2)
})

test('clean content has no findings', () => {
  assert.deepEqual(check('## Om oss\n\nVi er [Trondheim kommune](https://www.trondheim.kommune.no).\n\n![Rådhuset](/uploads/radhus.jpg)\n\n### Kontakt\n\nRing 73 83 00 00.'), [])
})
