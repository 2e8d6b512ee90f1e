// Rendered pages for anonymous readers of a public site, kept until content changes.
//
// Every GET page an anonymous reader gets in public mode (HTML and feeds, status 200, no Set-Cookie,
// not marked private) is kept under its URL and language, and sent again to the next reader without
// running the session, the handler or the template. Nothing is ever kept for or served to a request
// with a session cookie, or while the site is internal.
//
// Freshness: a page names what it depends on (dependsOn: 'posts', 'comments', 'post:<id>' …) and
// lives until one of those changes, in this process or any other (the change feed, src/coherence:
// an app instance, a job or the CLI on the same database). A page that names nothing dies with any
// change at all, and with any successful state-changing request (a POST answered below 400) or
// bumpContentGeneration() in this process. A page rendered while a change was being made is never
// kept past it: its entry carries the change number from before it was made.
//
// Compression: a kept anonymous page is compressed once per coding (brotli or gzip, whichever the
// client prefers) when it is asked for again, and the compressed copy is sent from then on.
// Only these pages are compressed: they carry no secret (a page with a CSRF token is never kept
// here), so compressing them opens no BREACH-style guessing of secrets through response sizes. Pages
// made for a session are sent uncompressed.
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { negotiate } from '@fastify/accept-negotiator'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { LANG_COOKIE, SESSION_COOKIE } from './cookies.js'
import { isLang, negotiateLanguage } from './i18n/index.js'
import { changedSince, syncAfterTransactions, type ChangeFeed } from '../coherence/index.js'
import { sharedSync } from '../coherence/shared-look.js'
import { remembered } from '../remembered.js'
import type { SiteSettings } from '../settings/store.js'

let generation = 0
/** Bumped only by bumpContentGeneration(): drops even the pages that name what they show. */
let everything = 0

/** The current content generation (shared by every app in the process). */
export function contentGeneration(): number {
  return generation
}

/** How many times bumpContentGeneration() has run (for caches that keep more than pages). */
export function everythingGeneration(): number {
  return everything
}

/**
 * Marks every cached page and feed as stale. Changes to content tables are seen without it (the
 * change log, src/coherence); call it after changing something readers see that the log does not cover.
 */
export function bumpContentGeneration(): void {
  generation++
  everything++
}

/** Content changed (a POST here, or the change feed saw changes): caches that name no scope start afresh. */
export function contentChanged(): void {
  generation++
}

export interface GenerationCacheOptions<V = unknown> {
  maxEntries: number
  /** Upper bound of the sum of the sizes given to set(). */
  maxBytes?: number
  ttlMs?: number
  /** Whether a value made at content generation `gen` is still current (default: no generation since). */
  isCurrent?: (value: V, gen: number) => boolean
}

interface Entry<V> { value: V; gen: number; expires: number; bytes: number }

/**
 * A small LRU map whose entries die with their content generation. For anything rendered from
 * content and shared between readers: pages, feeds, page fragments.
 */
export class GenerationCache<V> {
  private readonly entries = new Map<string, Entry<V>>()
  private bytes = 0

  private readonly isCurrent: (value: V, gen: number) => boolean

  constructor(private readonly options: GenerationCacheOptions<V>) {
    this.isCurrent = options.isCurrent ?? ((_value, gen) => gen === generation)
  }

  get size(): number {
    return this.entries.size
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (!this.isCurrent(e.value, e.gen) || e.expires < Date.now()) {
      this.remove(key, e)
      return undefined
    }
    this.entries.delete(key) // most recently used goes last
    this.entries.set(key, e)
    return e.value
  }

  /** Stores a value made at generation `gen` (when the work began); a stale one is dropped. */
  set(key: string, value: V, bytes = 0, gen = generation): void {
    if (!this.isCurrent(value, gen)) return
    const old = this.entries.get(key)
    if (old) this.remove(key, old)
    this.entries.set(key, { value, gen, bytes, expires: Date.now() + (this.options.ttlMs ?? 3_600_000) })
    this.bytes += bytes
    const maxBytes = this.options.maxBytes ?? Infinity
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= maxBytes) break
      this.remove(k, e)
    }
  }

  /** The cached value, or the value made by `make` (stored unless content changed meanwhile). */
  async wrap(key: string, make: () => Promise<{ value: V; bytes?: number }>): Promise<V> {
    const hit = this.get(key)
    if (hit !== undefined) return hit
    const gen = generation
    const { value, bytes } = await make()
    this.set(key, value, bytes, gen)
    return value
  }

  clear(): void {
    this.entries.clear()
    this.bytes = 0
  }

  private remove(key: string, e: Entry<V>): void {
    this.entries.delete(key)
    this.bytes -= e.bytes
  }
}

/** Conditional GET: true when the client's copy (If-None-Match / If-Modified-Since) is current. */
export function isNotModified(req: FastifyRequest, etag: string | undefined, lastModified: string | undefined): boolean {
  const inm = req.headers['if-none-match']
  if (inm !== undefined) {
    if (!etag) return false
    // Weak comparison; a compressed copy's validator ("…-br", see replayPage) matches its page's.
    const weak = (t: string) => t.trim().replace(/^W\//, '').replace(/-(?:br|gzip)"$/, '"')
    return inm.trim() === '*' || inm.split(',').some((t) => weak(t) === weak(etag))
  }
  const ims = req.headers['if-modified-since']
  if (ims === undefined || !lastModified) return false
  const since = Date.parse(ims)
  return !Number.isNaN(since) && Date.parse(lastModified) <= since
}

export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`
}

type Coding = 'br' | 'gzip'
const CODINGS: Coding[] = ['br', 'gzip']
const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)
// Quality 5: most of brotli's gain at a few milliseconds for a large page, paid once per page.
const COMPRESS: Record<Coding, (body: Buffer) => Promise<Buffer>> = {
  // A 256 KB window: pages are smaller, and the encoder's memory stays small.
  br: (body) => brotli(body, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_LGWIN]: 18, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
  } }),
  gzip: (body) => gzip(body, { level: 6 }),
}
/** Below this, compression saves too little to be worth it. */
const MIN_COMPRESSED_SIZE = 1024

export interface CachedPage {
  headers: Record<string, string | string[] | number>
  body: Buffer
  /** The newest change (src/coherence) before the page was made. */
  made?: number
  /** What the page depends on (dependsOn); absent: anything. */
  scopes?: readonly string[]
  everything?: number
  /** The newest change (ChangeFeed.newest) when the page was last found current by its scopes. */
  currentAt?: number
  /** Compressed copies, made on demand (a promise while being made); absent for pages that must not be compressed. */
  encoded?: Partial<Record<Coding, Promise<Buffer> | Buffer>>
  /** A page kept as its parts (a session's page from a shared body): its bytes made anew, or undefined once a part is gone; `body` is empty then. */
  remake?: (alloc?: (size: number) => Buffer) => Buffer | undefined
}

const NOT_REPLAYED = new Set(['content-length', 'set-cookie', 'date', 'connection', 'keep-alive', 'transfer-encoding'])

/** The response as it can be kept and sent again: its body and the headers worth replaying. */
export function capturePage(reply: FastifyReply, payload: string | Buffer): CachedPage {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
  const headers: CachedPage['headers'] = {}
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !NOT_REPLAYED.has(name)) headers[name] = value
  }
  return { headers, body }
}

/**
 * Sends a kept page in the coding the client prefers, or 304 when the client's copy is current. A
 * compressed copy has its own validator (`W/"…-br"`), so a shared cache can tell the copies apart;
 * isNotModified accepts any of them. Synchronous once the copy exists (every request but the
 * first): the hooks that call it answer without a promise.
 */
export function replayPage(req: FastifyRequest, reply: FastifyReply, hit: CachedPage, body = hit.body): FastifyReply | Promise<FastifyReply> {
  reply.headers(hit.headers)
  const coding = codingFor(req, hit)
  const etag = hit.headers.etag as string | undefined
  if (coding && etag) reply.header('etag', etag.replace(/"$/, `-${coding}"`))
  if (isNotModified(req, etag, hit.headers['last-modified'] as string | undefined)) return reply.code(304).send()
  if (!coding) return reply.code(200).send(body)
  const copy = hit.encoded![coding]
  if (Buffer.isBuffer(copy)) return reply.code(200).header('content-encoding', coding).send(copy)
  return sendCompressed(req, reply, hit, coding, etag)
}

/** The first time a page is asked for in a coding: compressed (once, however many ask at once), then kept as bytes. */
async function sendCompressed(req: FastifyRequest, reply: FastifyReply, hit: CachedPage, coding: Coding, etag: string | undefined) {
  const encoded = hit.encoded!
  try {
    const pending = (encoded[coding] ??= COMPRESS[coding](hit.body).then((body) => (encoded[coding] = body)))
    const body = await pending
    return reply.code(200).header('content-encoding', coding).send(body)
  } catch (err) {
    delete encoded[coding] // tried again next time
    req.log.warn({ err }, 'compressing a cached page failed; sent as it is')
    if (etag) reply.header('etag', etag)
    return reply.code(200).send(hit.body)
  }
}

/**
 * For a callback hook that answered with replayPage: done is not called (the reply is sent), except
 * with an error the compression path let through.
 */
export function answered(sent: FastifyReply | Promise<FastifyReply>, done: HookHandlerDoneFunction): void {
  if (sent instanceof Promise) sent.catch(done)
}

/** The coding this page is sent in: the client's preferred one we make, if the page is compressible. */
function codingFor(req: FastifyRequest, page: CachedPage): Coding | undefined {
  const accepted = req.headers['accept-encoding']
  if (!page.encoded || !accepted) return undefined
  return preferredCoding(accepted) ?? undefined
}

/** The coding to send for an Accept-Encoding header (null: none of ours), remembered: browsers send a few. */
const preferredCoding = remembered((accepted: string) => accepted, (accepted: string): Coding | null => {
  // negotiate() lets "*" stand in for a coding the client refused by name with q=0.
  const refused = accepted.toLowerCase().split(',').filter((part) => /;\s*q=0(?:\.0{0,3})?\s*$/.test(part)).map((part) => part.split(';')[0]!.trim())
  return (negotiate(accepted, CODINGS.filter((c) => !refused.includes(c))) as Coding | null) ?? null
}, 200, 256)

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this response may be stored in the page cache under this key. */
    pageCacheKey: string | null
    pageCacheGen: number
    /** The newest change (src/coherence) when this request began, and bumpContentGeneration()'s count. */
    changeSeen: number
    everythingSeen: number
    /** What this page depends on, named by its handler (dependsOn); null: anything. */
    pageScopes: string[] | null
  }
  interface FastifyContextConfig {
    /** false: never cache this route's responses (pages that vary by more than URL and language). */
    pageCache?: boolean
  }
}

const CACHEABLE_TYPE = /^(text\/html|application\/(rss|atom)\+xml)\b/

// Every page shows the layout (settings, the reader's name). A feed key shows only on its owner's
// pages ('feed-keys:<id>': the session page cache adds it; shared bodies carry a marker instead).
export const EVERY_PAGE: readonly string[] = ['settings', 'users', 'guidelines']

/**
 * Names what this page shows, so a kept copy lives until one of these changes (scopes of
 * migrations/0190: 'posts', 'comments', 'micro', 'uploads', 'post:<id>' …) instead of until any
 * change at all. Name everything the page reads; the layout's own needs are added here.
 */
export function dependsOn(req: FastifyRequest, ...scopes: string[]): void {
  req.pageScopes = [...(req.pageScopes ?? EVERY_PAGE), ...scopes]
}

/** Whether a kept page is still current: nothing it depends on changed since it was made. */
export function pageIsCurrent(changes: ChangeFeed, page: Pick<CachedPage, 'made' | 'scopes' | 'everything' | 'currentAt'>, gen: number): boolean {
  if (page.made === undefined) return gen === generation
  if (page.everything !== everything) return false
  if (!page.scopes) return gen === generation && changes.lastChange(['*']) <= page.made
  // A list page names every card it shows (40 scopes and more): between two changes every request
  // would find the same, so it is looked up once per change taken in.
  const newest = changes.newest()
  if (page.currentAt === newest) return true
  if (changedSince(changes, page.scopes, page.made)) return false
  page.currentAt = newest
  return true
}

/** The page as kept: with what it depends on and the change it was made after. */
export function keptPage(req: FastifyRequest, reply: FastifyReply, payload: string | Buffer, extraScopes: string[] = []): CachedPage {
  const page: CachedPage = capturePage(reply, payload)
  page.made = req.changeSeen
  page.everything = req.everythingSeen
  if (req.pageScopes) page.scopes = [...req.pageScopes, ...extraScopes]
  return page
}

/**
 * Registered before the session and security hooks, so a hit skips them: the stored headers already
 * hold what they added (helmet's) and the onSend hooks add the rest again.
 */
export function registerPageCache(
  app: FastifyInstance,
  maxBytes: number,
): void {
  const cache = new GenerationCache<CachedPage>({ isCurrent: (page, gen) => pageIsCurrent(app.changes, page, gen), maxEntries: 2_000, maxBytes, ttlMs: 3_600_000 })
  app.decorateRequest('pageCacheKey', null)
  app.decorateRequest('pageCacheGen', 0)
  app.decorateRequest('changeSeen', 0)
  app.decorateRequest('everythingSeen', 0)
  app.decorateRequest('pageScopes', null)
  app.addHook('onClose', async () => cache.clear())

  // Callback hooks, and promises only where something must be waited for: a kept page is answered
  // without one (each async hook costs every request a promise and a turn of the microtask queue).
  const whenSynced = sharedSync(app.changes, (err) => app.log.error({ err }, 'a request could not go on after the look for commits'))
  app.addHook('onRequest', (req, reply, done) => {
    // First of all: take in changes made by other processes (and this one) before the request, with
    // one look for the requests read in the same turn (src/coherence/shared-look.ts).
    whenSynced((err, seen) => {
      if (err) return done(err)
      req.changeSeen = seen
      try {
        if (app.changes.upToDate()) return lookUp(req, reply, done)
      } catch (err) {
        return done(err as Error)
      }
      // On SQLite, inside a job's transaction.
      syncAfterTransactions(app.changes).then((seen) => {
        req.changeSeen = seen
        lookUp(req, reply, done)
      }).catch(done)
    })
  })

  function lookUp(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    req.everythingSeen = everything
    // HEAD (link checkers, feed readers) is answered from a kept page too; only GET stores one.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.routeOptions.config?.pageCache === false) return done()
    if (req.cookies[SESSION_COOKIE(app.config)] !== undefined) return done()
    const settings = app.settings.keptAsOf()
    if (settings) return answer(req, reply, done, settings)
    app.settings.asOf(req.changeSeen).then((taken) => answer(req, reply, done, taken)).catch(done)
  }

  function answer(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, settings: SiteSettings): void {
    if (settings.visibility !== 'public') return done()
    const cookieLang = req.cookies[LANG_COOKIE]
    const lang = isLang(cookieLang) ? cookieLang : negotiateLanguage(req.headers['accept-language'])
    const key = `${lang} ${req.url}`
    const hit = cache.get(key)
    if (hit) return answered(replayPage(req, reply, hit), done) // done is not called: the reply is sent
    if (req.method === 'GET') {
      req.pageCacheKey = key
      req.pageCacheGen = contentGeneration()
    }
    done()
  }

  app.addHook('onSend', (req, reply, payload, done) => done(null, keep(req, reply, payload)))

  function keep(req: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS'
    if (unsafe && reply.statusCode < 400) contentChanged()
    const key = req.pageCacheKey
    // A 304 made by the handler (no kept copy: a change came in between) names the 200 by the same weak validator.
    const validator = reply.getHeader('etag')
    if (key && reply.statusCode === 304 && typeof validator === 'string') reply.header('etag', `W/${validator.replace(/^W\//, '')}`)
    if (!key || reply.statusCode !== 200 || reply.hasHeader('set-cookie')) return payload
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    if (!CACHEABLE_TYPE.test(String(reply.getHeader('content-type') ?? ''))) return payload
    if (/private|no-store/.test(String(reply.getHeader('cache-control') ?? ''))) return payload
    // The page's bytes first: a page of text beyond Latin-1 is made into UTF-8 once, not again for its
    // validator and its length.
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload)
    // Weak validators (compared weakly for conditional GET); compressed copies add a suffix (replayPage).
    const etag = reply.getHeader('etag')
    reply.header('etag', typeof etag === 'string' ? `W/${etag.replace(/^W\//, '')}` : `W/${etagOf(body)}`)
    const compressible = body.length >= MIN_COMPRESSED_SIZE
    const vary = reply.getHeader('vary')
    if (compressible) reply.header('vary', vary ? `${String(vary)}, Accept-Encoding` : 'Accept-Encoding')
    const page: CachedPage = { ...keptPage(req, reply, body), encoded: compressible ? {} : undefined }
    // Counted with room for both compressed copies (text that hardly compresses costs nearly 3×).
    cache.set(key, page, page.body.length * (compressible ? 3 : 1) + 500, req.pageCacheGen)
    return page.body // compressed from the second request on: a page asked for once is not worth it
  }
}
