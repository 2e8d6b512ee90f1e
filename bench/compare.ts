// Side by side: runs of `npm run bench -- --out NAME` (e.g. one instance beside two, SQLite beside
// PostgreSQL). For each row and run "req/s · p50/p99 ms · CPU ms/req", as a Markdown table.
//
//   npx tsx bench/compare.ts bench/results/sqlite-1.json bench/results/sqlite-2.json …
import fs from 'node:fs'

interface Run {
  setup?: { instances: number; database: string }
  machine: { loadavg?: number[] }
  scale: number
  seed: { counts: Record<string, number> }
  seconds: number
  connections: number
  rows: { name: string; mode: string; rps: number; p50: number; p99: number; serverCpu: number; cpuMs?: number }[]
}

const files = process.argv.slice(2)
if (!files.length) {
  process.stderr.write('usage: npx tsx bench/compare.ts bench/results/A.json bench/results/B.json …\n')
  process.exit(2)
}
const runs = files.map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Run)
const label = (r: Run) => `${r.setup?.database === 'postgres' ? 'PostgreSQL' : 'SQLite'} ×${r.setup?.instances ?? 1}`
const cpuMs = (row: Run['rows'][number]) => row.cpuMs ?? (row.rps ? (row.serverCpu * 1000) / row.rps : 0)

const keys: string[] = []
for (const r of runs) for (const row of r.rows) if (!keys.includes(`${row.name}\t${row.mode}`)) keys.push(`${row.name}\t${row.mode}`)

const head = ['page', 'mode', ...runs.map(label)]
const body = keys.map((key) => {
  const [name, mode] = key.split('\t') as [string, string]
  return [name, mode, ...runs.flatMap((r) => {
    const row = r.rows.find((x) => x.name === name && x.mode === mode)
    return row ? [`${Math.round(row.rps).toLocaleString('en')} · ${row.p50}/${row.p99} · ${cpuMs(row).toFixed(2)}`] : ['']
  })]
})
const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)))
const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`
for (const r of runs) {
  process.stdout.write(`${label(r)}: ${(r.seed.counts.posts ?? 0).toLocaleString('en')} posts, ${r.seconds} s per row, ${r.connections} connections, load average ${r.machine.loadavg?.map((l) => l.toFixed(1)).join(' ') ?? '?'}\n`)
}
process.stdout.write('Each cell: req/s · p50/p99 ms · CPU ms/req (PostgreSQL\'s CPU included)\n')
process.stdout.write(`\n${line(head)}\n|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|\n`)
for (const b of body) process.stdout.write(`${line(b)}\n`)
