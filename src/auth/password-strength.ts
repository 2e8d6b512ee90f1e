// How guessable a new password is, by zxcvbn-ts (its common-password list, dictionaries, keyboard
// patterns, sequences, dates) plus a few Norwegian words people build passwords from. Length alone
// let "Passord123" through (ASVS 5.0 6.2.4, 6.2.11).
import { createRequire } from 'node:module'
import type { ZxcvbnFactory } from '@zxcvbn-ts/core'
import type * as Common from '@zxcvbn-ts/language-common'
import type * as En from '@zxcvbn-ts/language-en'

export type StrengthProblem =
  | 'password.weak.common' | 'password.weak.pattern' | 'password.weak.dates' | 'password.weak.personal' | 'password.weak.guessable'

// Score 3 of 4: about 10^8 guesses, safe against online guessing and slow offline cracking of argon2id.
const MIN_SCORE = 3

const NORWEGIAN = [
  'passord', 'hemmelig', 'hemmeleg', 'velkommen', 'sommer', 'sumar', 'vinter', 'høst', 'haust', 'vår', 'jul',
  'trondheim', 'kommune', 'norge', 'noreg', 'nidaros', 'rosenborg', 'oslo', 'bergen', 'fotball', 'kjæreste',
  'januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember',
  'mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag', 'hund', 'katt', 'elsker', 'blogg', 'betablogg',
]

const REASONS: Record<string, StrengthProblem> = {
  topTen: 'password.weak.common', topHundred: 'password.weak.common', common: 'password.weak.common',
  similarToCommon: 'password.weak.common', pwned: 'password.weak.common', wordByItself: 'password.weak.common',
  namesByThemselves: 'password.weak.common', commonNames: 'password.weak.common',
  straightRow: 'password.weak.pattern', keyPattern: 'password.weak.pattern', simpleRepeat: 'password.weak.pattern',
  extendedRepeat: 'password.weak.pattern', sequences: 'password.weak.pattern',
  recentYears: 'password.weak.dates', dates: 'password.weak.dates',
  userInputs: 'password.weak.personal',
}

// The warnings come back as their own keys (each translation is the key), mapped to our catalogue.
const asKeys = (o: Record<string, unknown>) => Object.fromEntries(Object.keys(o).map((k) => [k, k]))

// Loaded when a password is first checked: the dictionaries cost a process start about 0.2 s, and
// most processes (a server between password changes, most test files) never need them.
let estimator: ZxcvbnFactory | undefined
function zxcvbn(): ZxcvbnFactory {
  if (estimator) return estimator
  const require = createRequire(import.meta.url)
  const { ZxcvbnFactory: Factory } = require('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core')
  const common = require('@zxcvbn-ts/language-common') as typeof Common
  const en = require('@zxcvbn-ts/language-en') as typeof En
  estimator = new Factory({
    dictionary: { ...common.dictionary, ...en.dictionary, norwegian: NORWEGIAN },
    graphs: common.adjacencyGraphs,
    translations: { ...en.translations, warnings: asKeys(en.translations.warnings) as typeof en.translations.warnings },
  })
  return estimator
}

let trusted: string | undefined

/**
 * For test suites only: `password` (the test accounts' shared one) is known to be hard to guess, so
 * accepting it needs no dictionaries. Loading them costs a test process almost half a second, and
 * most test files only make accounts. Every other password is checked as always; undefined trusts none.
 */
export function trustPasswordForTests(password: string | undefined): void {
  trusted = password
}

/** undefined when the password is hard enough to guess; else why not. `personal`: the person's names. */
export function passwordStrength(password: string, personal: string[] = []): StrengthProblem | undefined {
  if (password === trusted) return undefined
  // zxcvbn's cost grows with length; beyond 100 characters the first 100 decide.
  const inputs = personal.flatMap((p) => [p, ...p.split(/[\s@._-]+/)]).filter((p) => p.length >= 3).map((p) => p.toLowerCase())
  const result = zxcvbn().check(password.slice(0, 100), inputs)
  if (result.score >= MIN_SCORE) return undefined
  return REASONS[result.feedback.warning ?? ''] ?? 'password.weak.guessable'
}
