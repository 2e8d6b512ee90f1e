// Search: keeping the index in step with the content, and answering a query with one page of
// visible, ranked, highlighted results.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { plainText } from '../markdown/index.js'
import { normaliseTag } from '../posts/slug.js'
import {
  countDocsByKind, deleteIndexDocs, deletePendingDocs, docOf, hasPendingDocs, idOfDoc, insertIndexRows, kindOfDoc,
  listCommentHits, listIndexableComments, listIndexableMicro, listIndexablePosts, listMicroHits, listMicroTags,
  listPendingDocs, listPostHits, listPostTags, listRankedDocs, findTagIdByName, type IndexRow, type RankedDoc,
  type SearchKind,
} from './queries.js'
import { hasMark, kindFacet, parseQuery, snippetToHtml, tagFacet, toIndexText, toMatchExpression, type Term } from './text.js'

export const PAGE_SIZE = 20
export const MAX_PAGE = 50
/** Counting stops here: "more than 1,000 results" is as useful as the exact number, and cheaper. */
export const COUNT_CAP = 1000

// ── Indexing ─────────────────────────────────────────────────────────────────────────────────

/**
 * Indexes up to `batch` queued documents in one transaction; returns how many were taken off the
 * queue. Visible items are (re)written, all others removed from the index.
 */
export async function syncSearchIndex(db: Kysely<DB>, batch = 200): Promise<number> {
  if (!(await hasPendingDocs(db))) return 0
  return db.transaction().execute(async (trx) => {
    const docs = await listPendingDocs(trx, batch)
    if (!docs.length) return 0
    const ids = (kind: SearchKind) => docs.filter((d) => kindOfDoc(d) === kind).map(idOfDoc)
    const rows = [
      ...(await postRows(trx, ids('post'))),
      ...(await microRows(trx, ids('micro'))),
      ...(await commentRows(trx, ids('comment'))),
    ]
    await deleteIndexDocs(trx, docs)
    await insertIndexRows(trx, rows)
    await deletePendingDocs(trx, docs)
    return docs.length
  })
}

/** Drains the whole queue in short transactions (the background job). */
export async function drainSearchQueue(db: Kysely<DB>, batch = 200): Promise<number> {
  let total = 0
  for (let n = await syncSearchIndex(db, batch); n > 0; n = await syncSearchIndex(db, batch)) {
    total += n
    await new Promise((resolve) => setImmediate(resolve)) // let requests in between batches
  }
  return total
}

type TagRow = { owner: number; id: number; name: string }

function groupTags(rows: TagRow[]): Map<number, TagRow[]> {
  const map = new Map<number, TagRow[]>()
  for (const r of rows) map.set(r.owner, [...(map.get(r.owner) ?? []), r])
  return map
}

const facets = (kind: SearchKind, tags: TagRow[] = []) => [kindFacet(kind), ...tags.map((t) => tagFacet(t.id))].join(' ')
const tagText = (tags: TagRow[] = []) => toIndexText(tags.map((t) => t.name).join(' '))

async function postRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const posts = await listIndexablePosts(db, ids)
  const tags = groupTags(posts.length ? await listPostTags(db, posts.map((p) => p.id)) : [])
  return posts.map((p) => ({
    doc: docOf('post', p.id), title: toIndexText(p.title), lead: toIndexText(p.lead),
    body: toIndexText(plainText(p.body_html)), tags: tagText(tags.get(p.id)), facets: facets('post', tags.get(p.id)),
  }))
}

async function microRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const items = await listIndexableMicro(db, ids)
  const tags = groupTags(items.length ? await listMicroTags(db, items.map((m) => m.id)) : [])
  return items.map((m) => ({
    doc: docOf('micro', m.id), title: '', lead: '', body: toIndexText(m.body),
    tags: tagText(tags.get(m.id)), facets: facets('micro', tags.get(m.id)),
  }))
}

async function commentRows(db: Kysely<DB>, ids: number[]): Promise<IndexRow[]> {
  if (!ids.length) return []
  const comments = await listIndexableComments(db, ids)
  // A comment carries its post's tags as facets only: the tag filter finds it, the words do not.
  const tags = groupTags(comments.length ? await listPostTags(db, [...new Set(comments.map((c) => c.post_id))]) : [])
  return comments.map((c) => ({
    doc: docOf('comment', c.id), title: '', lead: '', body: toIndexText(plainText(c.body_html)),
    tags: '', facets: facets('comment', tags.get(c.post_id)),
  }))
}

// ── Searching ────────────────────────────────────────────────────────────────────────────────

export interface SearchInput {
  q: string
  kind?: SearchKind
  tag?: string
  page: number
}

export interface SearchHit {
  kind: SearchKind
  url: string
  /** Safe HTML: escaped text with our own <mark> around matches. */
  titleHtml: string
  snippetHtml: string
  author: { name: string; username: string | null }
  date: string
  /** Comments: the post they belong to. */
  postTitle?: string
  tags: string[]
}

export interface SearchResult {
  terms: Term[]
  kind?: SearchKind
  tag?: string
  /** A tag filter was given but no such tag exists. */
  unknownTag: boolean
  page: number
  hits: SearchHit[]
  hasNext: boolean
  counts: Record<SearchKind, number> & { all: number; capped: boolean }
}

const noCounts = () => ({ post: 0, micro: 0, comment: 0, all: 0, capped: false })

/** Runs a search as the reader sees it: only published posts and visible updates and comments. */
export async function searchSite(db: Kysely<DB>, input: SearchInput): Promise<SearchResult> {
  const terms = parseQuery(input.q)
  const page = Math.min(Math.max(1, Math.trunc(input.page) || 1), MAX_PAGE)
  const tagName = input.tag ? normaliseTag(input.tag) : undefined
  const tag = tagName ? await findTagIdByName(db, tagName) : undefined
  const base = { terms, kind: input.kind, tag: tagName ?? (input.tag?.trim() || undefined), page, unknownTag: !!input.tag?.trim() && !tag }
  const allMatch = toMatchExpression(terms, { tagId: tag?.id })
  if (!allMatch || base.unknownTag) return { ...base, hits: [], hasNext: false, counts: noCounts() }

  await syncSearchIndex(db) // what was written a moment ago is found now
  const counts = noCounts()
  for (const { kind, n } of await countDocsByKind(db, allMatch, COUNT_CAP + 1)) if (kind) counts[kind] = n
  counts.all = counts.post + counts.micro + counts.comment
  counts.capped = counts.all > COUNT_CAP

  const match = toMatchExpression(terms, { tagId: tag?.id, kind: input.kind })!
  const ranked = await listRankedDocs(db, match, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
  const hits = await describeHits(db, ranked.slice(0, PAGE_SIZE))
  return { ...base, hits, hasNext: ranked.length > PAGE_SIZE && page < MAX_PAGE, counts }
}

/** The lead's snippet when it has the match, else the body's (which FTS5 cuts around the match). */
function bestSnippet(doc: RankedDoc, fallback: string): string {
  if (hasMark(doc.body)) return snippetToHtml(doc.body)
  if (hasMark(doc.lead)) return snippetToHtml(doc.lead)
  return snippetToHtml(toIndexText(fallback) || doc.body)
}

async function describeHits(db: Kysely<DB>, ranked: RankedDoc[]): Promise<SearchHit[]> {
  const ids = (kind: SearchKind) => ranked.filter((d) => kindOfDoc(d.doc) === kind).map((d) => idOfDoc(d.doc))
  const [postIds, microIds, commentIds] = [ids('post'), ids('micro'), ids('comment')]
  const posts = new Map((postIds.length ? await listPostHits(db, postIds) : []).map((p) => [p.id, p]))
  const micro = new Map((microIds.length ? await listMicroHits(db, microIds) : []).map((m) => [m.id, m]))
  const comments = new Map((commentIds.length ? await listCommentHits(db, commentIds) : []).map((c) => [c.id, c]))
  const postTags = groupTags(posts.size ? await listPostTags(db, [...posts.keys()]) : [])
  const microTags = groupTags(micro.size ? await listMicroTags(db, [...micro.keys()]) : [])

  const hits: SearchHit[] = []
  for (const doc of ranked) {
    const id = idOfDoc(doc.doc)
    const kind = kindOfDoc(doc.doc)
    if (kind === 'post') {
      const p = posts.get(id)
      if (!p) continue // not visible (any more): never shown
      hits.push({
        kind, url: `/posts/${encodeURIComponent(p.slug)}`, titleHtml: snippetToHtml(doc.title || toIndexText(p.title)),
        snippetHtml: bestSnippet(doc, p.summary), author: { name: p.display_name, username: p.username },
        date: p.published_at ?? '', tags: (postTags.get(id) ?? []).map((t) => t.name),
      })
    } else if (kind === 'micro') {
      const m = micro.get(id)
      if (!m) continue
      hits.push({
        kind, url: `/micro/${id}`, titleHtml: '', snippetHtml: bestSnippet(doc, m.body),
        author: { name: m.display_name, username: m.username }, date: m.created_at, tags: (microTags.get(id) ?? []).map((t) => t.name),
      })
    } else if (kind === 'comment') {
      const c = comments.get(id)
      if (!c) continue
      hits.push({
        kind, url: `/posts/${encodeURIComponent(c.slug)}#comment-${id}`, titleHtml: '', snippetHtml: bestSnippet(doc, ''),
        author: { name: c.display_name ?? c.author_name ?? '', username: c.username }, date: c.created_at, postTitle: c.post_title, tags: [],
      })
    }
  }
  return hits
}
