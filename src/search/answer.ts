// Answering a query from the search index with one page of visible, ranked, highlighted results.
// Reads only: searchSite (service.ts) first indexes what waits; a search worker's caller did that.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { normaliseTag } from '../posts/slug.js'
import { listTagNamesOfMicros, listTagNamesOfPosts } from '../tags/queries.js'
import {
  allWithin, COLUMN_WEIGHTS, findTagIdByName, idOfDoc, kindOfDoc, listCommentHits, listDocTexts, listMatchingDocs, listMicroHits, listNewestDocs,
  listPostHits, rankDocs, SEARCH_KINDS, type SearchKind,
} from './queries.js'
import { fromIndexText, highlight, parseQuery, toMatchExpression, toPhraseExpressions, type Term } from './text.js'

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
  /** Matches per kind and in all; a kind with more than WINDOW counts as WINDOW and is `more`. */
  counts: Record<SearchKind, number> & { all: number }
  /** Which counts stopped at WINDOW (there are more); `all` when any kind did. */
  more: Record<SearchKind | 'all', boolean>
  /** Some kind had more matches than WINDOW: its newest WINDOW were ranked. */
  windowed: boolean
}

export const PAGE_SIZE = 20
export const MAX_PAGE = 50
export const OVERVIEW_SIZE = 5
/**
 * A search does a bounded amount of work whatever the words: of each kind it counts and ranks the
 * newest WINDOW matches, no more (a word in half the posts would otherwise cost as much as reading
 * them all). The pages stop there too: 50 pages of 20.
 */
export const WINDOW = MAX_PAGE * PAGE_SIZE
/** A term in more documents than this is ranked by the cheap order (see RankedSearch in queries.ts). */
export const BM25_LIMIT = 2000
const SNIPPET_WORDS = 32

/** Answers a search as the reader sees it: only published posts and visible updates and comments. */
export async function answerQuery(db: Kysely<DB>, input: SearchInput): Promise<SearchResult> {
  const terms = parseQuery(input.q)
  // Only a kind's results come in pages; the overview of all kinds is one page.
  const page = input.kind ? Math.min(Math.max(1, Math.trunc(input.page) || 1), MAX_PAGE) : 1
  const tagName = input.tag ? normaliseTag(input.tag) : undefined
  const tag = tagName ? await findTagIdByName(db, tagName) : undefined
  const unknownTag = !!input.tag?.trim() && !tag
  const result: SearchResult = {
    terms, kind: input.kind, tag: tagName ?? (input.tag?.trim() || undefined), unknownTag, page, hits: [], hasNext: false,
    groups: [], counts: { post: 0, micro: 0, comment: 0, all: 0 }, more: { post: false, micro: false, comment: false, all: false }, windowed: false,
  }
  if (!terms.length || unknownTag) return result

  const filters = { tagId: tag?.id }
  const match = toMatchExpression(terms, filters)!
  // Of each kind the newest WINDOW + 1 matches: their number is the count (or "more than WINDOW").
  const newest = {} as Record<SearchKind, number[]>
  for (const kind of SEARCH_KINDS) {
    newest[kind] = await listNewestDocs(db, match, kind, WINDOW + 1)
    result.more[kind] = newest[kind].length > WINDOW
    newest[kind] = newest[kind].slice(0, WINDOW)
    result.counts[kind] = newest[kind].length
    result.windowed ||= result.more[kind] && (!input.kind || input.kind === kind)
  }
  result.counts.all = result.counts.post + result.counts.micro + result.counts.comment
  result.more.all = SEARCH_KINDS.some((k) => result.more[k])
  if (!result.counts.all) return result

  const bm25 = await allTermsRare(db, terms, filters, result)
  const best = (kind: SearchKind, limit: number, offset: number) =>
    bm25 ? rankDocs(db, match, kind, newest[kind].at(-1) ?? 0, limit, offset) : cheapOrder(db, terms, kind, newest[kind], limit, offset)
  if (input.kind) {
    const docs = await best(input.kind, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    result.hits = await describeHits(db, terms, docs.slice(0, PAGE_SIZE))
    result.hasNext = docs.length > PAGE_SIZE && page < MAX_PAGE
    return result
  }
  const docs: number[] = []
  for (const kind of SEARCH_KINDS) if (result.counts[kind]) docs.push(...(await best(kind, OVERVIEW_SIZE, 0)))
  const hits = await describeHits(db, terms, docs)
  result.groups = SEARCH_KINDS.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length)
  return result
}

/** Whether every term (and the tag) is in at most BM25_LIMIT documents, so that bm25 costs little. */
async function allTermsRare(db: Kysely<DB>, terms: Term[], filters: { tagId?: number }, result: SearchResult): Promise<boolean> {
  // One term and no tag: its documents are the ones just counted.
  if (terms.length === 1 && filters.tagId === undefined && !result.more.all) return result.counts.all <= BM25_LIMIT
  return allWithin(db, toPhraseExpressions(terms, filters), BM25_LIMIT)
}

/** The columns the cheap order scores, per kind, weighted as bm25 weights them (COLUMN_WEIGHTS). */
const KIND_COLUMNS: Record<SearchKind, ('title' | 'tags' | 'lead')[]> = { post: ['title', 'tags', 'lead'], micro: ['tags'], comment: [] }

/**
 * The order when a term is common (bm25 would cost too much): among the candidates (newest first),
 * those with all the terms in the title first, then in the tags, then in the lead; the newest first
 * among equals. One pass per column, over the candidates' rowids only.
 */
async function cheapOrder(db: Kysely<DB>, terms: Term[], kind: SearchKind, candidates: number[], limit: number, offset: number): Promise<number[]> {
  const score = new Map<number, number>()
  const from = candidates.at(-1) ?? 0
  for (const column of KIND_COLUMNS[kind]) {
    for (const doc of await listMatchingDocs(db, toMatchExpression(terms, {}, [column])!, kind, from)) {
      score.set(doc, (score.get(doc) ?? 0) + COLUMN_WEIGHTS[column])
    }
  }
  const ordered = score.size ? [...candidates].sort((a, b) => (score.get(b) ?? 0) - (score.get(a) ?? 0) || b - a) : candidates
  return ordered.slice(offset, offset + limit)
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
  const postTags = await listTagNamesOfPosts(db, [...posts.keys()])
  const microTags = await listTagNamesOfMicros(db, [...micro.keys()])

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
        date: p.published_at ?? '', tags: postTags.get(id) ?? [],
      })
    } else if (kind === 'micro') {
      const m = micro.get(id)
      if (!m) continue
      hits.push({
        kind, url: `/micro/${id}`, titleHtml: '', snippetHtml: snippet(terms, text, m.body),
        author: { name: m.display_name, username: m.username }, date: m.created_at, tags: microTags.get(id) ?? [],
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
