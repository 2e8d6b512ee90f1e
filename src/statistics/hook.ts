// Counting reading without slowing it: one onSend hook at the root, so it sees every page — those
// rendered now and those sent again from the page caches (src/web/page-cache.ts,
// session-page-cache.ts), whose hits answer from onRequest and still finish through onSend. The
// hook only adds to the in-memory counter; a timer flushes it in one batch, and closing the app
// flushes the rest. No cookie is read or set for this, and no address or account is stored.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { remembered } from '../remembered.js'
import { ViewCounter } from './counter.js'
import { writeCounts } from './flush.js'

const FLUSH_MS = 30_000

/** Reading pages by route, and the kind each counts as; any other page is not reading and not counted. */
export const PAGE_KINDS: Readonly<Record<string, string>> = {
  '/': 'home',
  '/posts/:slug': 'post',
  '/tags': 'tags',
  '/tags/:tag': 'tags',
  '/micro': 'micro',
  '/micro/:id': 'micro',
  '/search': 'search',
  '/users/:username': 'profile',
  '/users/:username/updates': 'profile',
  '/guidelines': 'guidelines',
  '/widgets/posts': 'widget',
  '/widgets/updates': 'widget',
  '/widgets/post/:slug': 'widget',
}
export const KINDS = ['home', 'post', 'tags', 'micro', 'search', 'profile', 'guidelines', 'widget'] as const

// Robots and link previews are not readers.
const NOT_A_READER = /bot|crawl|spider|slurp|preview|facebookexternalhit|monitor|uptime|headless|curl|wget|python-|go-http|java\/|libwww/i

/** Whether a user agent is a reader's, remembered: most requests come from a few browsers. */
const isReader = remembered((agent: string) => agent, (agent: string) => !NOT_A_READER.test(agent), 500, 512)

const counters = new WeakMap<object, { counter: ViewCounter; flush: () => Promise<void> }>()

function readerOf(req: FastifyRequest): string {
  return req.user ? `u:${req.user.id}` : `a:${req.ip} ${req.headers['user-agent'] ?? ''}`
}

export function registerViewCounting(app: FastifyInstance): void {
  const counter = new ViewCounter()
  let flushing: Promise<void> = Promise.resolve()
  const flush = () => (flushing = flushing.then(async () => {
    const c = counter.take()
    try {
      await writeCounts(app.db, c)
    } catch (err) {
      counter.giveBack(c)
      app.log.warn({ err }, 'statistics: counts not written; kept for the next flush')
    }
  }))
  counters.set(app.db, { counter, flush })

  // A plain callback (no promise per response): this runs for every response. onSend, not onResponse:
  // the response hooks would cost every request a listener and a hook run of their own.
  app.addHook('onSend', (req, reply, payload, done) => {
    const kind = req.method === 'GET' && (reply.statusCode === 200 || reply.statusCode === 304) ? PAGE_KINDS[req.routeOptions.url ?? ''] : undefined
    if (kind && isReader(req.headers['user-agent'] ?? '') && !/prefetch|prerender/.test(String(req.headers['sec-purpose'] ?? req.headers.purpose ?? ''))) {
      counter.record(kind, kind === 'post' ? (req.params as { slug?: string }).slug : undefined, readerOf(req))
    }
    done(null, payload)
  })

  let timer: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    timer = setInterval(() => void flush(), FLUSH_MS)
    timer.unref()
  })
  // preClose: before the database closes (onClose hooks may run after it).
  app.addHook('preClose', async () => {
    clearInterval(timer)
    await flush()
  })
}

/** Writes the counts gathered so far now (tests; the CLI never counts). */
export async function flushViewCounts(app: FastifyInstance): Promise<void> {
  await counters.get(app.db)?.flush()
}
