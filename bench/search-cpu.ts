// node --import tsx bench/search-cpu.ts DB [count] [draw] — the CPU time of searchSite itself, in
// process, for `count` distinct searches drawn as bench/search.ts draws them (`draw` picks another
// set). No server, no HTTP, no page: what the search costs, steadier than latency on a busy machine.
// Prints mean, p50, p90, p99 and max CPU ms per search and the slowest searches.
import { openDatabase } from '../src/db/database.js'
import { searchSite } from '../src/search/service.js'
import { TEXT_SEED } from './seed.js'
import { random, TextMaker } from './vocabulary.js'

const [file, countArg, drawArg] = process.argv.slice(2)
if (!file) throw new Error('usage: bench/search-cpu.ts DB [count] [draw]')
const count = Number(countArg ?? 350)
const text = new TextMaker(TEXT_SEED)
const rnd = random(TEXT_SEED + Number(drawArg ?? 7))
const low = Math.log(20)
const pick = () => text.vocabulary[Math.max(0, Math.min(text.vocabulary.length - 1,
  Math.floor(Math.exp(low + rnd() * (Math.log(text.vocabulary.length + 20) - low)) - 20)))]!
const queries = new Set<string>()
while (queries.size < count) queries.add(queries.size % 3 === 0 ? `${pick()} ${pick()}` : pick())

const database = openDatabase(file)
const times: [number, string, number][] = []
let n = 0
for (const q of queries) {
  const before = process.cpuUsage()
  const r = await searchSite(database.db, { q, page: 1 })
  const used = process.cpuUsage(before)
  if (n++ >= 50) times.push([(used.user + used.system) / 1000, q, r.counts.all]) // the first 50 warm up
}
await database.close()
times.sort((a, b) => a[0] - b[0])
const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]![0].toFixed(2)
const mean = times.reduce((s, t) => s + t[0], 0) / times.length
console.log(`${times.length} searches, CPU ms: mean ${mean.toFixed(2)} p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${times.at(-1)![0].toFixed(2)}`)
for (const [ms, q, hits] of times.slice(-5)) console.log(`  ${ms.toFixed(1)} ms  ${JSON.stringify(q)}  ${hits} matches`)
