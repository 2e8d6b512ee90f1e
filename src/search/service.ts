// Search: answering a query with one page of visible, ranked, highlighted results.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { normaliseTag } from '../posts/slug.js'
import { syncSearchIndex } from './indexer.js'
import { listTagNamesOfMicros, listTagNamesOfPosts } from '../tags/queries.js'
import {
  findTagIdByName, idOfDoc, kindOfDoc, listCommentHits, listDocTexts, listMicroHits, listPostHits,
  listTopDocs, listTopDocsPerKind, matchStats, SEARCH_KINDS, type KindStats, type SearchKind,
} from './queries.js'
import { fromIndexText, highlight, parseQuery, toMatchExpression, type Term } from './text.js'

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
  counts: Record<SearchKind, number> & { all: number }
  /** Some kind had more matches than WINDOW: its newest WINDOW were ranked. */
  windowed: boolean
}

export const PAGE_SIZE = 20
export const MAX_PAGE = 50
export const OVERVIEW_SIZE = 5
/**
 * Ranking (bm25) costs time for every document it looks at, so a kind's matches are ranked among its
 * newest WINDOW: a word in half the posts would otherwise cost a second. Pages stop before it.
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
    groups: [], counts: { post: 0, micro: 0, comment: 0, all: 0 }, windowed: false,
  }
  if (!terms.length || unknownTag) return result

  await syncSearchIndex(db) // what was written a moment ago is found now
  const match = toMatchExpression(terms, { tagId: tag?.id })!
  const stats = await matchStats(db, match)
  const from = { post: 0, micro: 0, comment: 0 }
  for (const kind of SEARCH_KINDS) {
    result.counts[kind] = stats[kind].n
    from[kind] = windowStart(stats[kind])
    result.windowed ||= stats[kind].n > WINDOW && (!input.kind || input.kind === kind)
  }
  result.counts.all = result.counts.post + result.counts.micro + result.counts.comment

  if (input.kind) {
    const docs = await listTopDocs(db, match, input.kind, from[input.kind], PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    result.hits = await describeHits(db, terms, docs.slice(0, PAGE_SIZE))
    result.hasNext = docs.length > PAGE_SIZE && page < MAX_PAGE
    return result
  }
  if (!result.counts.all) return result
  const hits = await describeHits(db, terms, await listTopDocsPerKind(db, match, from, OVERVIEW_SIZE))
  result.groups = SEARCH_KINDS.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length)
  return result
}

/**
 * Where a kind's ranking window starts: 0 (everything) for at most WINDOW matches, else the rowid
 * above which about the newest WINDOW lie. Rowids grow with time within a kind, so the matches are
 * taken as spread evenly between the first and the last: an estimate, made in the counting pass,
 * that saves a second walk through the doclists.
 */
export function windowStart({ n, first, last }: KindStats): number {
  if (n <= WINDOW) return 0
  return Math.floor(last - (last - first) * (WINDOW / n))
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
