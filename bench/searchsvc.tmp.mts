import { openDatabase } from '../src/db/database.js'
import { searchSite } from '../src/search/service.js'
const { db, close } = openDatabase(process.argv[2]!)
const qs = ['budsjett', 'velferdsteknologi', 'skolen digital', 'kommunen økonomi', 'åpne data', 'barnehageplass', 'trondheim', 'kart', 'kommun', 'og', 'ko', '"digital samhandling"', 'sensorplass']
for (const q of qs) {
  const row = [q.padEnd(22)]
  for (const kind of [undefined, 'post', 'comment'] as const) {
    await searchSite(db, { q, kind, page: 1 })
    const t0 = performance.now()
    let r
    for (let i = 0; i < 3; i++) r = await searchSite(db, { q, kind, page: 1 })
    row.push(`${kind ?? 'all'}: ${((performance.now() - t0) / 3).toFixed(1).padStart(7)} ms (${r!.counts.all}${r!.counts.capped ? '+' : ''})`)
  }
  console.log(row.join(' | '))
}
await close()
