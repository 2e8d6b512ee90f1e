// Before and after, fairly: bench/pages.ts for an older checkout and for this one, taking turns, a
// few rounds each, and the median CPU per request of each page kind side by side. On a shared
// machine the CPU time of the same request drifts by a fifth within minutes; taking turns puts the
// drift on both sides, and the median drops the odd round.
//
//   npx tsx bench/before-after.ts --before ../old --before-data /tmp/old --data /tmp/new [--rounds 5]
//     [--mode public|internal] [--seconds 2] [--only front,post] [--json out.json]
//
// Each checkout uses its own seeded database (seeded by its own migrations on the first run), as
// bench/pages.ts --root does.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const here = fileURLToPath(new URL('..', import.meta.url))
const BEFORE = option('before')
const BEFORE_DATA = option('before-data')
const DATA = option('data')
if (!BEFORE || !BEFORE_DATA || !DATA) throw new Error('--before DIR --before-data DIR --data DIR are required')
const ROUNDS = Number(option('rounds') ?? 5)
const passOn = ['mode', 'seconds', 'only', 'scale'].flatMap((name) => (option(name) ? [`--${name}`, option(name)!] : []))

interface Row { kind: string; mode: string; warm: number; cold: number }
const sides = [
  { name: 'before', root: path.resolve(BEFORE), data: path.resolve(BEFORE_DATA), runs: [] as Row[][] },
  { name: 'after', root: here, data: path.resolve(DATA), runs: [] as Row[][] },
]
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'before-after-'))
for (let round = 1; round <= ROUNDS; round++) {
  for (const side of sides) {
    const out = path.join(tmp, `${side.name}-${round}.json`)
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, 'bench', 'pages.ts'), '--root', side.root, '--data', side.data, '--json', out, ...passOn], { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] })
    if (run.status !== 0) throw new Error(`bench/pages.ts for ${side.name} failed (${run.status})`)
    side.runs.push((JSON.parse(fs.readFileSync(out, 'utf8')) as { rows: Row[] }).rows)
    process.stderr.write(`round ${round}/${ROUNDS}: ${side.name} done\n`)
  }
}
fs.rmSync(tmp, { recursive: true, force: true })

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const [before, after] = sides as [typeof sides[0], typeof sides[0]]
const table = after.runs[0]!.map((row) => {
  const pick = (runs: Row[][], which: 'warm' | 'cold') => median(runs.map((r) => r.find((x) => x.kind === row.kind)?.[which] ?? NaN))
  const cells = (['warm', 'cold'] as const).map((which) => {
    const b = pick(before.runs, which)
    const a = pick(after.runs, which)
    return { which, before: b, after: a, change: (a - b) / b }
  })
  return { kind: row.kind, mode: row.mode, cells }
})
const pct = (x: number) => (Number.isNaN(x) ? '—' : `${x > 0 ? '+' : ''}${(x * 100).toFixed(0)} %`)
process.stdout.write(`Median CPU ms per request over ${ROUNDS} rounds each, taking turns (before: ${before.root})\n\n`)
process.stdout.write('| page | mode | warm before | warm after | change | cold before | cold after | change |\n|---|---|--:|--:|--:|--:|--:|--:|\n')
for (const t of table) {
  const [w, c] = t.cells as [typeof t.cells[0], typeof t.cells[0]]
  process.stdout.write(`| ${t.kind} | ${t.mode} | ${w.before.toFixed(2)} | ${w.after.toFixed(2)} | ${pct(w.change)} | ${c.before.toFixed(2)} | ${c.after.toFixed(2)} | ${pct(c.change)} |\n`)
}
const json = option('json')
if (json) fs.writeFileSync(json, JSON.stringify({ at: new Date().toISOString(), rounds: ROUNDS, before: before.root, runs: { before: before.runs, after: after.runs }, table }, null, 2))
