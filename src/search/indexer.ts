// Keeps the search index in step with the content: the triggers queue changed documents
// (migrations/0020), this re-reads them and writes what readers may find.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { serialize } from '../db/dialect.js'
import { plainText } from '../markdown/index.js'
import {
  deleteIndexDocs, deletePendingDocs, docOf, hasPendingDocs, idOfDoc, insertIndexRows, kindOfDoc, listIndexableComments,
  listDocTexts, listIndexableMicro, listIndexablePosts, listMicroTags, listPendingDocs, listPostTags, type IndexRow, type SearchKind,
} from './queries.js'
import { tagFacet, toIndexText } from './text.js'
import { logTouchedWords } from './change-log.js'

/** Documents indexed in one transaction. */
export const INDEX_BATCH = 200

/**
 * Indexes up to `batch` queued documents in one transaction; returns how many were taken off the
 * queue. Visible items are (re)written, all others removed from the index.
 */
export async function syncSearchIndex(db: Kysely<DB>, batch = INDEX_BATCH): Promise<number> {
  if (!(await hasPendingDocs(db))) return 0
  return db.transaction().execute(async (trx) => {
    // PostgreSQL: two searches (or a search and the job, in any instance) would both take the same
    // queued documents and the second insert would fail on the index's key. One at a time; the
    // queue is read after the wait. (SQLite: the transaction's IMMEDIATE lock does this already.)
    await serialize(trx, 'search_index')
    const docs = await listPendingDocs(trx, batch)
    if (!docs.length) return 0
    const ids = (kind: SearchKind) => docs.filter((d) => kindOfDoc(d) === kind).map(idOfDoc)
    const rows = [
      ...(await postRows(trx, ids('post'))),
      ...(await microRows(trx, ids('micro'))),
      ...(await commentRows(trx, ids('comment'))),
    ]
    const before = await listDocTexts(trx, docs)
    await deleteIndexDocs(trx, docs)
    await insertIndexRows(trx, rows)
    await deletePendingDocs(trx, docs)
    await logTouchedWords(trx, [...before, ...rows])
    return docs.length
  })
}

/** Drains the whole queue in short transactions (the background job). */
export async function drainSearchQueue(db: Kysely<DB>, batch = INDEX_BATCH): Promise<number> {
  let total = 0
  for (let n = await syncSearchIndex(db, batch); n > 0; n = await syncSearchIndex(db, batch)) {
    total += n
    await new Promise((resolve) => setImmediate(resolve)) // let requests in between batches
  }
  return total
}

export type TagRow = { owner: number; id: number; name: string }

export function groupTags(rows: TagRow[]): Map<number, TagRow[]> {
  const map = new Map<number, TagRow[]>()
  for (const r of rows) map.set(r.owner, [...(map.get(r.owner) ?? []), r])
  return map
}

const facets = (tags: TagRow[] = []) => tags.map((t) => tagFacet(t.id)).join(' ')
const tagText = (tags: TagRow[] = []) => toIndexText(tags.map((t) => t.name).join(' '))

async function postRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const posts = await listIndexablePosts(db, ids)
  const tags = groupTags(posts.length ? await listPostTags(db, posts.map((p) => p.id)) : [])
  return posts.map((p) => ({
    doc: docOf('post', p.id), title: toIndexText(p.title), lead: toIndexText(p.lead),
    body: toIndexText(plainText(p.body_html)), tags: tagText(tags.get(p.id)), facets: facets(tags.get(p.id)),
  }))
}

async function microRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const items = await listIndexableMicro(db, ids)
  const tags = groupTags(items.length ? await listMicroTags(db, items.map((m) => m.id)) : [])
  return items.map((m) => ({
    doc: docOf('micro', m.id), title: '', lead: '', body: toIndexText(m.body),
    tags: tagText(tags.get(m.id)), facets: facets(tags.get(m.id)),
  }))
}

async function commentRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const comments = await listIndexableComments(db, ids)
  // A comment carries its post's tags as facets only: the tag filter finds it, the words do not.
  const tags = groupTags(comments.length ? await listPostTags(db, [...new Set(comments.map((c) => c.post_id))]) : [])
  return comments.map((c) => ({
    doc: docOf('comment', c.id), title: '', lead: '', body: toIndexText(plainText(c.body_html)),
    tags: '', facets: facets(tags.get(c.post_id)),
  }))
}
