// Search: keeping the index in step with the content, and answering a query with one page of
// visible, ranked, highlighted results.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { plainText } from '../markdown/index.js'
import { normaliseTag } from '../posts/slug.js'
import {
  deleteIndexDocs, deletePendingDocs, docOf, findTagIdByName, hasPendingDocs, idOfDoc, insertIndexRows, kindOfDoc,
  listCommentHits, listDocTexts, listIndexableComments, listIndexableMicro, listIndexablePosts, listMicroHits,
  listMicroTags, listPendingDocs, listPostHits, listPostTags, listRecentDocs, listTopDocs, SEARCH_KINDS, type IndexRow,
  type SearchKind,
} from './queries.js'
import { fromIndexText, highlight, parseQuery, tagFacet, toIndexText, toMatchExpression, type Term } from './text.js'

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
  /** Safe HTML: escaped text with our own <mark> around matches (text.ts highlight). Posts only. */
  titleHtml: string
  snippetHtml: string
  author: { name: string; username: string | null }
  date: string
  /** Comments: the post they belong to. */
  postTitle?: string
  tags: string[]
}

export interface SearchGroup {
  kind: SearchKind
  hits: SearchHit[]
}

export interface SearchResult {
  terms: Term[]
  kind?: SearchKind
  tag?: string
  /** A tag filter was given but no such tag exists. */
  unknownTag: boolean
  page: number
  /** One kind chosen: a page of its results. */
  hits: SearchHit[]
  hasNext: boolean
  /** No kind chosen: the best few of each kind. */
  groups: SearchGroup[]
  /** Matches per kind, at most WINDOW each (capped: some kind has more). */
  counts: Record<SearchKind, number> & { all: number; capped: boolean }
}

export const PAGE_SIZE = 20
export const MAX_PAGE = 50
export const OVERVIEW_SIZE = 5
/**
 * Ranking costs time for every matching document, so a kind's matches are ranked among its newest
 * WINDOW (a word in half the posts would otherwise cost a second). It is also where counting stops.
 */
export const WINDOW = 2000
const SNIPPET_WORDS = 32

/** Runs a search as the reader sees it: only published posts and visible updates and comments. */
export async function searchSite(db: Kysely<DB>, input: SearchInput): Promise<SearchResult> {
  const terms = parseQuery(input.q)
  // Only a kind's results come in pages; the overview of all kinds is one page.
  const page = input.kind ? Math.min(Math.max(1, Math.trunc(input.page) || 1), MAX_PAGE) : 1
  const tagName = input.tag ? normaliseTag(input.tag) : undefined
  const tag = tagName ? await findTagIdByName(db, tagName) : undefined
  const unknownTag = !!input.tag?.trim() && !tag
  const result: SearchResult = {
    terms, kind: input.kind, tag: tagName ?? (input.tag?.trim() || undefined), unknownTag, page, hits: [], hasNext: false,
    groups: [], counts: { post: 0, micro: 0, comment: 0, all: 0, capped: false },
  }
  if (!terms.length || unknownTag) return result

  await syncSearchIndex(db) // what was written a moment ago is found now
  const match = toMatchExpression(terms, { tagId: tag?.id })!
  const windowStart = new Map<SearchKind, number>()
  for (const kind of SEARCH_KINDS) {
    const recent = await listRecentDocs(db, match, kind, WINDOW + 1)
    result.counts[kind] = Math.min(recent.length, WINDOW)
    result.counts.capped ||= recent.length > WINDOW
    windowStart.set(kind, recent.length > WINDOW ? recent[WINDOW - 1]! : 0)
  }
  result.counts.all = result.counts.post + result.counts.micro + result.counts.comment

  if (input.kind) {
    const docs = await listTopDocs(db, match, input.kind, windowStart.get(input.kind)!, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    result.hits = await describeHits(db, terms, docs.slice(0, PAGE_SIZE))
    result.hasNext = docs.length > PAGE_SIZE && page < MAX_PAGE
    return result
  }
  const top: number[] = []
  for (const kind of SEARCH_KINDS) {
    if (result.counts[kind]) top.push(...(await listTopDocs(db, match, kind, windowStart.get(kind)!, OVERVIEW_SIZE, 0)))
  }
  const hits = await describeHits(db, terms, top)
  result.groups = SEARCH_KINDS.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length)
  return result
}

/** The snippet: the body around the first match, else the lead's, else the start of `fallback`. */
function snippet(terms: Term[], texts: { lead: string; body: string } | undefined, fallback: string): string {
  const body = highlight(fromIndexText(texts?.body ?? ''), terms, SNIPPET_WORDS)
  if (body.matched) return body.html
  const lead = highlight(fromIndexText(texts?.lead ?? ''), terms, SNIPPET_WORDS)
  if (lead.matched) return lead.html
  return highlight(fallback || fromIndexText(texts?.body ?? ''), terms, SNIPPET_WORDS).html
}

async function describeHits(db: Kysely<DB>, terms: Term[], docs: number[]): Promise<SearchHit[]> {
  const ids = (kind: SearchKind) => docs.filter((d) => kindOfDoc(d) === kind).map(idOfDoc)
  const [postIds, microIds, commentIds] = [ids('post'), ids('micro'), ids('comment')]
  const texts = new Map((await listDocTexts(db, docs)).map((t) => [t.doc, t]))
  const posts = new Map((postIds.length ? await listPostHits(db, postIds) : []).map((p) => [p.id, p]))
  const micro = new Map((microIds.length ? await listMicroHits(db, microIds) : []).map((m) => [m.id, m]))
  const comments = new Map((commentIds.length ? await listCommentHits(db, commentIds) : []).map((c) => [c.id, c]))
  const postTags = groupTags(posts.size ? await listPostTags(db, [...posts.keys()]) : [])
  const microTags = groupTags(micro.size ? await listMicroTags(db, [...micro.keys()]) : [])

  const hits: SearchHit[] = []
  for (const doc of docs) {
    const id = idOfDoc(doc)
    const kind = kindOfDoc(doc)
    const text = texts.get(doc)
    // Rows not visible (any more) are never shown, whatever the index says.
    if (kind === 'post') {
      const p = posts.get(id)
      if (!p) continue
      hits.push({
        kind, url: `/posts/${encodeURIComponent(p.slug)}`, titleHtml: highlight(p.title, terms).html,
        snippetHtml: snippet(terms, text, p.summary), author: { name: p.display_name, username: p.username },
        date: p.published_at ?? '', tags: (postTags.get(id) ?? []).map((t) => t.name),
      })
    } else if (kind === 'micro') {
      const m = micro.get(id)
      if (!m) continue
      hits.push({
        kind, url: `/micro/${id}`, titleHtml: '', snippetHtml: snippet(terms, text, m.body),
        author: { name: m.display_name, username: m.username }, date: m.created_at, tags: (microTags.get(id) ?? []).map((t) => t.name),
      })
    } else if (kind === 'comment') {
      const c = comments.get(id)
      if (!c) continue
      hits.push({
        kind, url: `/posts/${encodeURIComponent(c.slug)}#comment-${id}`, titleHtml: '', snippetHtml: snippet(terms, text, ''),
        author: { name: c.display_name ?? c.author_name ?? '', username: c.username }, date: c.created_at, postTitle: c.post_title, tags: [],
      })
    }
  }
  return hits
}
