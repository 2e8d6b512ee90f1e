import SQLite from 'better-sqlite3'
import { parseQuery, toMatchExpression } from '../src/search/text.js'
const db = new SQLite(process.argv[2]!, { readonly: true })
const ranked = db.prepare(`select rowid as doc, highlight(search_index, 0, char(2), char(3)) as title,
  snippet(search_index, 1, char(2), char(3), '…', 40) as lead, snippet(search_index, 2, char(2), char(3), '…', 40) as body
  from search_index where search_index match ? and rowid not in (select doc from search_pending) order by rank limit 21 offset 0`)
const count = db.prepare(`select doc % 4 as kind, count(*) as n from (select rowid as doc from search_index where search_index match ? and rowid not in (select doc from search_pending) limit 1001) group by kind`)
const total = db.prepare(`select count(*) n from search_index where search_index match ?`)
for (const q of ['budsjett', 'velferdsteknologi', 'skolen digital', 'kommunen økonomi', 'åpne data', 'innbyggere tjenester', 'barnehageplass', 'samhandling', 'personvern sky', 'trondheim', 'strategi', 'kompetanse', 'sensor', 'kart', 'anskaffelse', 'kommun', 'og', 'ko', '"digital samhandling"']) {
  const m = toMatchExpression(parseQuery(q))!
  const mk = toMatchExpression(parseQuery(q), { kind: 'post' })!
  const t = (f: () => unknown, n = 3) => { f(); const t0 = performance.now(); for (let i = 0; i < n; i++) f(); return ((performance.now() - t0) / n).toFixed(1) }
  console.log(q.padEnd(22), 'matches', String((total.get(m) as any).n).padStart(7), '| ranked', t(() => ranked.all(m)).padStart(7), 'ms | count', t(() => count.all(m)).padStart(6), 'ms | posts tab', t(() => ranked.all(mk)).padStart(7), 'ms')
}
