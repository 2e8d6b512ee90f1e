// PostgreSQL's side of the search index (migrations/postgres/0020_search_index.ts): the same
// functions as the FTS5 statements in queries.ts, over a tsvector column with a GIN index.
//
// The match expression passed in is the one toMatchExpression (text.ts) makes for FTS5; it is read
// back here into a tsquery, word by word: each word is folded by the rules of the index (foldWord)
// and quoted, so nothing a person typed is ever tsquery syntax. Ranking: ts_rank with the same
// column weights as bm25 on SQLite (title 8, tags 4, lead 3, body 1).
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.js'
import { foldWord, fromIndexText } from './text.js'

type Row = { doc: number; title: string; lead: string; body: string; tags: string; facets: string }
type DocText = Omit<Row, 'facets'>
export interface KindRange { kindCode: number; from: number; to: number }

/** Index text → the folded words that go into the tsvector, separated by spaces. */
export function foldedWords(indexText: string): string {
  return [...fromIndexText(indexText).matchAll(/[\p{L}\p{N}]+/gu)].map((m) => foldWord(m[0])).join(' ')
}

/** The FTS5 expression `{…} : ("a b"* "c") AND facets : "t12"` as a tsquery text and a facet. */
export function toTsQuery(match: string): { query: string; facet?: string } | undefined {
  const [text = '', facetPart] = match.split(/\s+AND\s+facets\s*:\s*/)
  const terms: string[] = []
  for (const m of text.matchAll(/"((?:[^"]|"")*)"(\*?)/g)) {
    const words = foldedWords(m[1]!.replace(/""/g, '"')).split(' ').filter(Boolean)
    if (!words.length) continue
    const quoted = words.map((w) => `'${w}'`)
    if (m[2]) quoted[quoted.length - 1] += ':*'
    terms.push(quoted.length > 1 ? `(${quoted.join(' <-> ')})` : quoted[0]!)
  }
  if (!terms.length) return undefined
  const facet = facetPart?.match(/"(t\d+)"/)?.[1]
  return { query: terms.join(' & '), facet }
}

const RANK = sql`ts_rank('{0.125, 0.375, 0.5, 1.0}', tsv, q.q)`

function matching(match: string) {
  const t = toTsQuery(match)
  if (!t) return undefined
  const facet = t.facet ? sql`and (' ' || facets || ' ') like ${`% ${t.facet} %`}` : sql``
  return {
    from: sql`search_index, to_tsquery('betablogg_nb', ${t.query}) as q(q)`,
    where: sql`tsv @@ q.q ${facet} and not exists (select 1 from search_pending p where p.doc = search_index.doc)`,
  }
}

export async function queueAllDocs(db: Kysely<DB>, block: number): Promise<void> {
  await sql`insert into search_pending(doc)
    select ${block} + id from posts where status = 'published'
    union all select ${2 * block} + id from micro_posts where deleted_at is null and hidden_at is null
    union all select ${3 * block} + id from comments where deleted_at is null and hidden_at is null
    union all select doc from search_index
    on conflict do nothing`.execute(db)
}

export async function deleteIndexDocs(db: Kysely<DB>, docs: number[]): Promise<void> {
  if (docs.length) await sql`delete from search_index where doc in (${sql.join(docs)})`.execute(db)
}

export async function insertIndexRows(db: Kysely<DB>, rows: Row[]): Promise<void> {
  const vector = (text: string, weight: string) => sql`setweight(to_tsvector('betablogg_nb', ${foldedWords(text)}), ${sql.lit(weight)})`
  for (let i = 0; i < rows.length; i += 200) {
    const values = rows.slice(i, i + 200).map((r) => sql`(${r.doc}, ${r.title}, ${r.lead}, ${r.body}, ${r.tags}, ${r.facets},
      ${vector(r.title, 'A')} || ${vector(r.lead, 'C')} || ${vector(r.body, 'D')} || ${vector(r.tags, 'B')})`)
    await sql`insert into search_index(doc, title, lead, body, tags, facets, tsv) values ${sql.join(values)}`.execute(db)
  }
}

/** A kind's newest `n` matches, newest first (see listNewestDocs in queries.ts). */
export async function listNewestDocs(db: Kysely<DB>, match: string, range: KindRange, n: number): Promise<number[]> {
  const m = matching(match)
  if (!m) return []
  const { rows } = await sql<{ doc: number }>`
    select doc from ${m.from} where ${m.where} and doc between ${range.from} and ${range.to} order by doc desc limit ${n}`.execute(db)
  return rows.map((r) => Number(r.doc))
}

/** A kind's matches within the range by ts_rank (it needs no pass over the whole index). */
export async function rankDocs(db: Kysely<DB>, match: string, range: KindRange, limit: number, offset: number): Promise<number[]> {
  const m = matching(match)
  if (!m) return []
  const { rows } = await sql<{ doc: number }>`
    select doc from ${m.from} where ${m.where} and doc between ${range.from} and ${range.to}
    order by ${RANK} desc, doc desc limit ${limit} offset ${offset}`.execute(db)
  return rows.map((r) => Number(r.doc))
}

export async function listDocTexts(db: Kysely<DB>, docs: number[]) {
  const { rows } = await sql<DocText>`select doc, title, lead, body, tags from search_index where doc in (${sql.join(docs)})`.execute(db)
  return rows
}
