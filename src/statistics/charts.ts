// Chart geometry for SVG drawn on the server: plain numbers the templates (views/statistics/*.eta)
// turn into <rect>/<text>, escaped like any other value — no markup is built here. Pure.

/** Series colours: mid-tones with at least 3:1 contrast on both the light and the dark background. */
export const SERIES_COLOURS = ['#2563eb', '#c2410c', '#15803d', '#7e22ce'] as const

export interface Tick { y: number; label: number }
export interface Column { x: number; y: number; w: number; h: number; value: number; series: number }
export interface ColumnChart {
  kind: 'columns'
  width: number
  height: number
  plot: { left: number; top: number; right: number; bottom: number }
  ticks: Tick[]
  columns: Column[]
  xLabels: { x: number; label: string }[]
  series: string[]
}
export interface BarRow { y: number; w: number; h: number; label: string; value: number }
export interface BarChart { kind: 'bars'; width: number; height: number; labelWidth: number; rows: BarRow[] }

const WIDTH = 640

/** The smallest "nice" step (1, 2, 2.5, 5 × 10^k) so that four steps cover max. */
export function niceStep(max: number): number {
  if (max <= 4) return 1
  const raw = max / 4
  const mag = 10 ** Math.floor(Math.log10(raw))
  return ([1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag)
}

/** Columns over time (one group per point, one column per series); at most ~10 x labels are shown. */
export function columnChart(points: { label: string; values: number[] }[], series: string[]): ColumnChart {
  const plot = { left: 48, top: 12, right: WIDTH - 8, bottom: 200 }
  const height = 236
  const max = Math.max(0, ...points.flatMap((p) => p.values))
  const step = niceStep(max)
  const top = step * 4
  const ticks = [0, 1, 2, 3, 4].map((i) => ({ y: plot.bottom - ((plot.bottom - plot.top) * i) / 4, label: step * i }))
  const slot = (plot.right - plot.left) / Math.max(1, points.length)
  const gap = slot > 6 ? Math.min(slot * 0.2, 8) : 0
  const w = Math.max(0.5, (slot - gap) / Math.max(1, series.length))
  const columns: Column[] = []
  points.forEach((p, i) => p.values.forEach((value, s) => {
    const h = top ? ((plot.bottom - plot.top) * value) / top : 0
    columns.push({ x: round(plot.left + i * slot + gap / 2 + s * w), y: round(plot.bottom - h), w: round(w), h: round(h), value, series: s })
  }))
  const every = Math.max(1, Math.ceil(points.length / 10))
  const xLabels = points.flatMap((p, i) => (i % every === 0 ? [{ x: round(plot.left + i * slot + slot / 2), label: p.label }] : []))
  return { kind: 'columns', width: WIDTH, height, plot, ticks, columns, xLabels, series }
}

/** Horizontal bars for categories (page kinds, posts, tags), longest first as given. */
export function barChart(items: { label: string; value: number }[]): BarChart {
  const labelWidth = 220
  const rowH = 22
  const max = Math.max(1, ...items.map((i) => i.value))
  const room = WIDTH - labelWidth - 56
  const rows = items.map((it, i) => ({ y: 4 + i * rowH, h: rowH - 6, w: round(Math.max(it.value ? 1 : 0, (room * it.value) / max)), label: shorten(it.label, 32), value: it.value }))
  return { kind: 'bars', width: WIDTH, height: 8 + items.length * rowH, labelWidth, rows }
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
