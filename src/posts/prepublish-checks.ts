// Checks shown to the author before submitting and to the editors in the queue. The UI translates
// `code` and shows `detail` (the offending text, a masked number, an image path) beside it. Serious
// findings block submission until fixed or overridden with a reason (src/editorial/service.ts).
import { embedCandidates } from '../markdown/index.js'
import { plainText } from '../markdown/text.js'
import { walkHtml } from '../markdown/walk.js'

export type Severity = 'serious' | 'warning'

export interface Finding {
  code: string
  severity: Severity
  detail: string
}

const VAGUE_LINK_TEXTS = new Set([
  'klikk her', 'trykk her', 'her', 'les mer', 'les mer her', 'mer', 'lenke', 'lenke her', 'denne lenken',
  'click here', 'here', 'read more', 'more', 'link', 'this link',
])

/**
 * `html` is the stored (sanitized) HTML; `markdown` is its source, scanned too because it is stored
 * as well and may hold numbers that never reach the HTML (an HTML comment, a dropped image URL).
 */
export function checkContent(html: string, markdown: string): Finding[] {
  const findings = [...checkStructure(html), ...checkEmbeds(html, markdown), ...checkNumbers(`${plainText(html)}\n${markdown}`)]
  const seen = new Set<string>()
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.detail}`
    return seen.has(key) ? false : (seen.add(key), true)
  })
}

// Images without alt text, skipped heading levels, vague link texts.
function checkStructure(html: string): Finding[] {
  const findings: Finding[] = []
  let level = 1 // the page title is the h1
  let heading: { level: number; text: string } | undefined
  let linkText: string | undefined
  walkHtml(html, {
    open(name, attribs) {
      if (name === 'img' && !attribs.alt?.trim()) {
        findings.push({ code: 'image-missing-alt', severity: 'serious', detail: attribs.src ?? '' })
      }
      const depth = /^h([1-6])$/.exec(name)?.[1]
      if (depth) heading = { level: Number(depth), text: '' }
      if (name === 'a') linkText = ''
    },
    text(text) {
      if (heading) heading.text += text
      if (linkText !== undefined) linkText += text
    },
    close(name) {
      if (heading && name === `h${heading.level}`) {
        if (heading.level > level + 1) {
          findings.push({ code: 'heading-level-skipped', severity: 'warning', detail: collapse(heading.text) })
        }
        level = heading.level
        heading = undefined
      }
      if (name === 'a' && linkText !== undefined) {
        const text = collapse(linkText)
        if (VAGUE_LINK_TEXTS.has(normaliseLinkText(text))) {
          findings.push({ code: 'vague-link-text', severity: 'warning', detail: text })
        }
        linkText = undefined
      }
    },
  })
  return findings
}

// A video or presentation address that stayed a plain link: the provider could not be asked or had no
// player for it (private, deleted, an unknown address form). The author may want to check the address.
function checkEmbeds(html: string, markdown: string): Finding[] {
  const candidates = embedCandidates(markdown)
  if (!candidates.length) return []
  const embedded = new Set<string>()
  let inFacade = false
  walkHtml(html, {
    open(name, attribs) {
      if (name === 'figure') inFacade = Boolean(attribs['data-embed-src'])
      if (name === 'a' && inFacade && attribs.href) embedded.add(attribs.href)
    },
    close(name) {
      if (name === 'figure') inFacade = false
    },
  })
  return candidates.filter((c) => !embedded.has(c.url))
    .map((c) => ({ code: 'embed-not-resolved', severity: 'warning' as const, detail: c.url }))
}

// Fødselsnummer/D-nummer (serious) and bank account numbers (warning). Check digits keep the noise down.
function checkNumbers(text: string): Finding[] {
  const findings: Finding[] = []
  for (const m of text.matchAll(/(?<!\d)(\d{6})[ \u00a0-]?(\d{5})(?!\d)/g)) {
    const number = `${m[1]}${m[2]}`
    if (isValidFodselsnummer(number)) {
      // Masked: findings may be logged or shown to others; the date part is enough to find it.
      findings.push({ code: 'national-id-number', severity: 'serious', detail: `${m[1]}*****` })
    }
  }
  for (const m of text.matchAll(/(?<![\d.])(\d{4})([. ])(\d{2})\2(\d{5})(?!\d|\.\d)/g)) {
    if (isValidAccountNumber(`${m[1]}${m[3]}${m[4]}`)) {
      findings.push({ code: 'bank-account-number', severity: 'warning', detail: m[0] })
    }
  }
  return findings
}

/**
 * True for a Norwegian fødselsnummer or D-nummer (day + 40): 11 digits, optionally with a space
 * after the date part, a real date and both mod-11 check digits right. The century is not derived
 * from the individual number, so 29 February is accepted in any year divisible by four.
 */
export function isValidFodselsnummer(s: string): boolean {
  const m = /^(\d{6})[ \u00a0-]?(\d{5})$/.exec(s.trim())
  if (!m) return false
  const d = `${m[1]}${m[2]}`.split('').map(Number)
  const at = (i: number): number => d[i] ?? 0
  let day = at(0) * 10 + at(1)
  if (day > 40) day -= 40 // D-nummer
  const month = at(2) * 10 + at(3)
  const year = at(4) * 10 + at(5)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year)) return false
  const k1 = checkDigit(d.slice(0, 9), [3, 7, 6, 1, 8, 9, 4, 5, 2])
  const k2 = checkDigit(d.slice(0, 10), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2])
  return k1 === at(9) && k2 === at(10)
}

/** True for an 11-digit Norwegian bank account number with a valid mod-11 check digit. */
export function isValidAccountNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false
  const d = digits.split('').map(Number)
  return checkDigit(d.slice(0, 10), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === d[10]
}

// Mod-11 check digit; undefined when the remainder gives 10 (no valid number has that).
function checkDigit(digits: number[], weights: number[]): number | undefined {
  const sum = digits.reduce((acc, digit, i) => acc + digit * (weights[i] ?? 0), 0)
  const k = 11 - (sum % 11)
  return k === 11 ? 0 : k === 10 ? undefined : k
}

function daysInMonth(month: number, twoDigitYear: number): number {
  if (month === 2) return twoDigitYear % 4 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function normaliseLinkText(text: string): string {
  return text.toLowerCase().replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
}
