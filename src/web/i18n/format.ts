// Dates and numbers for people in Trondheim: Intl in the Europe/Oslo time zone, per language.
import type { Lang } from './define.js'
import { remembered } from '../../remembered.js'

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' }
const TZ = 'Europe/Oslo'

export interface Formatter {
  date(iso: string): string
  dateTime(iso: string): string
  /** "10:42": the time of day, for "Saved 10:42". */
  time(iso: string): string
  number(n: number): string
  /** Value for a datetime-local input, in Oslo time. */
  inputDateTime(iso: string): string
}

// Pages show the same instants again and again (a post's 50 comments for every reader), and Intl
// takes microseconds per call: each text is made once.
const once = (format: (iso: string) => string) => remembered((iso: string) => iso, format, 5_000)

function make(lang: Lang): Formatter {
  const locale = LOCALES[lang]
  const date = new Intl.DateTimeFormat(locale, { timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric' })
  const dateTime = new Intl.DateTimeFormat(locale, {
    timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  })
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  })
  const time = new Intl.DateTimeFormat(locale, { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
  const number = new Intl.NumberFormat(locale)
  return {
    time: once((iso) => time.format(new Date(iso))),
    date: once((iso) => date.format(new Date(iso))),
    dateTime: once((iso) => dateTime.format(new Date(iso))),
    number: (n) => number.format(n),
    inputDateTime: (iso) => {
      const p = Object.fromEntries(parts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]))
      return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
    },
  }
}

const formatters = new Map<Lang, Formatter>()
export function formatter(lang: Lang): Formatter {
  let f = formatters.get(lang)
  if (!f) formatters.set(lang, (f = make(lang)))
  return f
}

/**
 * Interprets a datetime-local value ("2026-12-01T09:30") as Oslo wall-clock time; returns ISO UTC.
 * A space instead of the T, and a single-digit hour, are accepted too: what people type into a
 * browser without a date picker.
 */
export function osloLocalToIso(raw: string): string | undefined {
  const typed = /^(\d{4}-\d{2}-\d{2})[T ]+(\d{1,2}):(\d{2})$/.exec(raw.trim())
  const value = typed ? `${typed[1]}T${typed[2]!.padStart(2, '0')}:${typed[3]}` : raw
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number]
  const guess = Date.UTC(y, mo - 1, d, h, mi)
  if (Number.isNaN(guess)) return undefined
  // Oslo is UTC+1 or +2: find the offset that maps back to the same wall-clock time.
  for (const offset of [1, 2]) {
    const iso = new Date(guess - offset * 3600_000).toISOString()
    if (formatter('en').inputDateTime(iso) === value) return iso
  }
  return undefined
}
