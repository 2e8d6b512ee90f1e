import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { registerJobs } from '../jobs/scheduler.js'
import { escapeHtml } from '../markdown/escape.js'
import { dependsOn } from '../web/page-cache.js'
import { viewAlone, viewShared } from '../web/shared-page.js'
import { KeptAnswers } from './kept-answers.js'
import { pruneSearchChanges, SEARCH_KINDS, type SearchKind } from './queries.js'
import { drainSearchQueue } from './indexer.js'
import { PAGE_SIZE, WINDOW, type SearchResult } from './answer.js'
import { openSearcher } from './workers/searcher.js'

// Lenient on purpose: whatever is typed into a search box gets a page, never a 400.
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000 })),
  type: Type.Optional(Type.String({ maxLength: 50 })),
  tag: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.String({ maxLength: 20 })),
})

export interface SearchLinkParams { q: string; type?: SearchKind; tag?: string; page?: number }

/** The address of a search page; empty parameters are left out. */
export function searchHref(p: SearchLinkParams): string {
  const params = new URLSearchParams({ q: p.q })
  if (p.type) params.set('type', p.type)
  if (p.tag) params.set('tag', p.tag)
  if (p.page && p.page > 1) params.set('page', String(p.page))
  return `/search?${params.toString()}`
}

const PRUNE_MS = 10 * 60_000
/** The search page before a search: one version for as long as the process runs. */
const EMPTY_FORM = {}

// /search (the header's search box submits here) and the OpenSearch description for browsers.
export async function searchRoutes(app: FastifyInstance) {
  let prunedUpTo = 0
  // Items written by other processes (the WordPress import) are indexed in the background.
  registerJobs(app, [
    { name: 'search-index', intervalMs: 5_000, run: async (a) => void (await drainSearchQueue(a.db)) },
    // The log of index changes need only reach back as far as the oldest kept answer (a minute), and
    // holds words of what was written (even of what was deleted since): each run deletes what the
    // run before found, so a row lives 10 to 20 minutes.
    { name: 'search-changes-prune', intervalMs: PRUNE_MS, run: async (a) => void (prunedUpTo = await pruneSearchChanges(a.db, prunedUpTo)) },
  ])

  // Everyone finds the same (published, visible) things: answers are shared until a change could alter them.
  const answers = new KeptAnswers(app.db, app.changes, { maxEntries: 500, ttlMs: 60_000 })
  // New searches run beside the pages, not before them (src/search/workers).
  const searcher = openSearcher({
    db: app.db, sqliteFile: app.database.kind === 'sqlite' ? app.config.databaseFile : null, size: app.config.searchWorkers, log: app.log,
  })
  app.addHook('onClose', async () => {
    answers.clear()
    await searcher.close()
  })

  app.get('/search', { schema: { querystring: SearchQuery } }, async (req, reply) => {
    const query = req.query as Static<typeof SearchQuery>
    dependsOn(req, 'posts', 'comments', 'micro', 'uploads')
    const q = (query.q ?? '').trim()
    const kind = SEARCH_KINDS.find((k) => k === query.type)
    const tag = query.tag?.trim() || undefined
    const page = Number(query.page ?? 1)
    const searched = q !== ''
    const result = searched
      ? await answers.wrap(JSON.stringify([q, kind, tag, page]), req.changeSeen, (popular) => searcher.search({ q, kind, tag, page }, popular))
      : undefined
    const data = {
      title: searched ? req.t('search.titleFor', { q }) : req.t('search.title'),
      q, tag: tag ?? '', kind, searched, result, links: result ? pageLinks(q, result) : undefined, pageSize: PAGE_SIZE, window: WINDOW,
    }
    // An answer made while documents waited to be indexed is not kept, nor is its page, for anyone or
    // per person: the job indexes them later, and no change would tell.
    if (result && !answers.kept(result)) {
      req.pageCacheKey = null
      req.sessionPageKey = null
      return viewAlone(reply, 'search/index', data)
    }
    // A result page shows its answer and nothing else that changes: its body lives as long as the
    // answer (a new answer is a new object), not until any post or comment changes.
    return viewShared(req, reply, 'search/index', async () => data, { version: result ?? EMPTY_FORM })
  })

  app.get('/opensearch.xml', { config: { public: true } }, async (req, reply) => {
    const base = app.config.baseUrl
    const name = escapeHtml(req.t('site.name'))
    reply.header('cache-control', 'public, max-age=86400')
    return reply.type('application/opensearchdescription+xml; charset=utf-8').send(
      `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/" xmlns:moz="http://www.mozilla.org/2006/browser/search/">
  <ShortName>${name}</ShortName>
  <Description>${escapeHtml(req.t('search.opensearch.description'))}</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>${req.lang}</Language>
  <Image type="image/svg+xml">${escapeHtml(base)}/static/favicon.svg</Image>
  <Url type="text/html" method="get" template="${escapeHtml(base)}/search?q={searchTerms}"/>
  <Url type="application/opensearchdescription+xml" rel="self" template="${escapeHtml(base)}/opensearch.xml"/>
  <moz:SearchForm>${escapeHtml(base)}/search</moz:SearchForm>
</OpenSearchDescription>
`)
  })
}

/** Tabs, pagination and filter links of a result page. */
function pageLinks(q: string, r: SearchResult) {
  const same = { q, type: r.kind, tag: r.unknownTag ? undefined : r.tag }
  return {
    tabs: [undefined, ...SEARCH_KINDS].map((type) => ({
      type: type ?? 'all', href: searchHref({ ...same, type }), current: type === r.kind,
      count: type ? r.counts[type] : r.counts.all, more: type ? r.more[type] : r.more.all,
    })),
    previous: r.page > 1 ? searchHref({ ...same, page: r.page - 1 }) : undefined,
    next: r.hasNext ? searchHref({ ...same, page: r.page + 1 }) : undefined,
    withoutTag: r.tag ? searchHref({ q, type: r.kind }) : undefined,
    all: searchHref({ q, tag: same.tag }),
    kind: (type: SearchKind) => searchHref({ ...same, type }),
    withTag: (tag: string) => searchHref({ q, type: r.kind, tag }),
  }
}
