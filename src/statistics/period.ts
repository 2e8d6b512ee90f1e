// Periods of whole Oslo calendar days, as the period picker and the CSV export take them.
import { InvalidError, type FieldErrors } from '../errors.js'
import { osloLocalToIso } from '../web/i18n/format.js'

export interface Period { from: string; to: string }

const DAY_MS = 86_400_000
export const MAX_DAYS = 732
const osloDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })

export function osloDay(at: Date): string {
  return osloDayFormat.format(at)
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

function isDay(v: string): boolean {
  const t = Date.parse(`${v}T00:00:00Z`)
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(t) && new Date(t).toISOString().startsWith(v)
}

/** The last `days` days up to and including today. */
export function lastDays(days: number, now = new Date()): Period {
  const to = osloDay(now)
  return { from: addDays(to, -(days - 1)), to }
}

/** From the picker's fields; empty fields mean the last 30 days. Throws InvalidError with messages per field. */
export function parsePeriod(q: { from?: string; to?: string }, now = new Date()): Period {
  const fallback = lastDays(30, now)
  const from = (q.from ?? '').trim() || fallback.from
  const to = (q.to ?? '').trim() || fallback.to
  const errors: FieldErrors = {}
  if (!isDay(from)) errors.from = 'stats.period.invalid'
  if (!isDay(to)) errors.to = 'stats.period.invalid'
  if (!errors.from && !errors.to && from > to) errors.to = 'stats.period.order'
  if (!errors.from && !errors.to && dayCount({ from, to }) > MAX_DAYS) errors.to = 'stats.period.tooLong'
  if (Object.keys(errors).length) throw new InvalidError(errors)
  return { from, to }
}

export function dayCount(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1
}

export function daysOf(p: Period): string[] {
  const out: string[] = []
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) out.push(d)
  return out
}

export function monthsOf(p: Period): string[] {
  const out: string[] = []
  let [y, m] = p.from.slice(0, 7).split('-').map(Number) as [number, number]
  const last = p.to.slice(0, 7)
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`
    out.push(key)
    if (key >= last) return out
    m = m === 12 ? 1 : m + 1
    if (m === 1) y++
  }
}

/** The period's first instant and the instant after its last (UTC ISO), for comparing timestamps. */
export function instants(p: Period): { fromIso: string; toIso: string } {
  return { fromIso: osloLocalToIso(`${p.from}T00:00`)!, toIso: osloLocalToIso(`${addDays(p.to, 1)}T00:00`)! }
}

/** A calendar month (YYYY-MM) as a period. */
export function monthPeriod(month: string): Period {
  const [y, m] = month.split('-').map(Number) as [number, number]
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` }
}

export function previousMonth(now = new Date()): string {
  const [y, m] = osloDay(now).split('-').map(Number) as [number, number]
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`
}
