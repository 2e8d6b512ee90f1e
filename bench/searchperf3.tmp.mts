import SQLite from 'better-sqlite3'
import { parseQuery, toMatchExpression } from '../src/search/text.js'
const db = new SQLite(process.argv[2]!, { readonly: true })
const W = Number(process.argv[3] ?? 5000)
const bound = db.prepare(`select rowid from search_index where search_index match ? order by rowid desc limit 1 offset ${W - 1}`)
const top = db.prepare(`select rowid as doc, bm25(search_index, 8.0, 3.0, 1.0, 4.0, 0.0) as score from search_index
  where search_index match ? and rowid >= ? and rowid not in (select doc from search_pending) order by score limit 21 offset 0`)
const snip = db.prepare(`select rowid as doc, highlight(search_index, 0, char(2), char(3)) as title,
  snippet(search_index, 1, char(2), char(3), '…', 40) as lead, snippet(search_index, 2, char(2), char(3), '…', 40) as body
  from search_index where search_index match ? and rowid in (select value from json_each(?))`)
console.log(db.prepare(`explain query plan select rowid from search_index where search_index match ? and rowid in (select value from json_each(?))`).all('x', '[1]'))
const count = db.prepare(`select count(*) n from (select rowid from search_index where search_index match ? limit 1001)`)
for (const q of ['budsjett', 'velferdsteknologi', 'skolen digital', 'kommunen økonomi', 'åpne data', 'barnehageplass', 'trondheim', 'kart', 'kommun', 'og', 'ko', '"digital samhandling"']) {
  const t = (f: () => unknown, n = 3) => { f(); const t0 = performance.now(); for (let i = 0; i < n; i++) f(); return ((performance.now() - t0) / n).toFixed(1) }
  const row: string[] = [q.padEnd(22)]
  for (const kind of ['post', 'comment'] as const) {
    const m = toMatchExpression(parseQuery(q), { kind })!
    const b = () => (bound.get(m) as { rowid: number } | undefined)?.rowid ?? 0
    const ids = () => JSON.stringify((top.all(m, b()) as { doc: number }[]).map((r) => r.doc))
    row.push(`${kind}: bound ${t(b).padStart(6)} top ${t(() => top.all(m, b())).padStart(6)} snip ${t(() => snip.all(m, ids())).padStart(6)} count ${t(() => count.get(m)).padStart(6)}`)
  }
  console.log(row.join(' | '))
}
