// Statistics → what the templates draw: chart geometry and table rows with labels in the reader's
// language. Pure.
import type { Lang, Translate } from '../web/i18n/index.js'
import { barChart, columnChart, SERIES_COLOURS } from './charts.js'
import type { Contribution, QueueTimes, Statistics, UsePoint } from './service.js'

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' }

export function labels(lang: Lang) {
  const short = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'short', timeZone: 'UTC' })
  const long = new Intl.DateTimeFormat(LOCALES[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
  const monthShort = new Intl.DateTimeFormat(LOCALES[lang], { month: 'short', year: 'numeric', timeZone: 'UTC' })
  const monthLong = new Intl.DateTimeFormat(LOCALES[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' })
  const at = (key: string) => new Date(key.length === 7 ? `${key}-15T12:00:00Z` : `${key}T12:00:00Z`)
  return {
    short: (key: string) => (key.length === 7 ? monthShort : short).format(at(key)),
    long: (key: string) => (key.length === 7 ? monthLong : long).format(at(key)),
  }
}

export function duration(t: Translate, lang: Lang, hours: number | null): string {
  if (hours === null) return '–'
  const n = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 })
  return hours < 48 ? t('stats.hours', { n: n.format(hours) }) : t('stats.days', { n: n.format(hours / 24) })
}

export function useView(points: UsePoint[], t: Translate, lang: Lang) {
  const l = labels(lang)
  return {
    chart: columnChart(points.map((p) => ({ label: l.short(p.key), values: [p.views, p.readers] })), [t('stats.col.views'), t('stats.col.readers')]),
    rows: points.map((p) => ({ key: p.key, label: l.long(p.key), views: p.views, readers: p.readers })),
  }
}

export function contributionsView(rows: Contribution[], t: Translate, lang: Lang) {
  const l = labels(lang)
  return {
    chart: columnChart(rows.map((r) => ({ label: l.short(r.month), values: [r.posts, r.updates, r.comments] })),
      [t('stats.col.posts'), t('stats.col.updates'), t('stats.col.comments')]),
    rows: rows.map((r) => ({ ...r, label: l.long(r.month) })),
  }
}

export function queueView(q: QueueTimes, t: Translate, lang: Lang) {
  return { decisions: q.decisions, median: duration(t, lang, q.medianHours), p90: duration(t, lang, q.p90Hours) }
}

export function statisticsView(s: Statistics, t: Translate, lang: Lang) {
  const l = labels(lang)
  const kinds = s.kinds.map((k) => ({ label: t(`stats.kind.${k.kind}` as Parameters<Translate>[0]), value: k.views }))
  return {
    from: l.long(s.period.from), to: l.long(s.period.to), bucket: s.bucket, totalViews: s.totalViews,
    use: useView(s.use, t, lang),
    kinds: { chart: barChart(kinds), rows: kinds },
    posts: { chart: barChart(s.posts.map((p) => ({ label: p.title, value: p.views }))), rows: s.posts },
    contributions: contributionsView(s.contributions, t, lang),
    queue: queueView(s.queue, t, lang),
    tags: { chart: barChart(s.tags.map((x) => ({ label: `#${x.name}`, value: x.posts }))), rows: s.tags },
    colours: SERIES_COLOURS,
  }
}
