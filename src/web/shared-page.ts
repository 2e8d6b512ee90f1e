// Page bodies shared by everyone who sees the same thing; the personal parts added per request.
//
// On the internal site everyone is logged in, so the session page cache (session-page-cache.ts)
// keeps a page per person: 2,000 people opening the front page render it 2,000 times. Yet the body of
// most pages is the same for everyone of the same kind (the same roles, following the tag or not):
// only a few values in it and in the layout around it are one person's (the CSRF token, one's feed
// key, name and unread count). viewShared() renders the body once per URL, language, kind of viewer
// and content — kept until what it shows changes, exactly like a kept page (dependsOn) — and the
// layout around it once per body, colour scheme and unread-or-not (layoutFrame); per request it
// fills in the personal values.
//
// What makes this safe: the body is rendered with a viewer that has only roles (no id, name or
// username), with markers where personal values go (personalValue, and the CSRF token), and every
// other thing about the viewer that the body shows must be in `personal` (the route's part of the
// key). A marker is filled per request, or the page is refused: a marker never reaches a browser.
// What differs for the owner of one part (a commenter's own comment: edit and delete, what the
// editors hid) is rendered both ways into the body (ownViews), and each request takes one of the two
// by comparing ids: no HTML is made per request.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { contentGeneration, EVERY_PAGE, GenerationCache, pageIsCurrent, type CachedPage } from './page-cache.js'
import { responseBuffer } from './page-buffers.js'
import { VIEW_OPTIONS, VIEWS_DIR, ViewEngine } from './views.js'
import type { PageLocals } from './request-context.js'
import type { CurrentUser } from '../users/user.js'

/**
 * What the layout reads from a page's data (title, Open Graph, `wide` via layout() …): every `it.x`
 * in views/layout.eta, found once, so a new one is kept too. The locals come per request instead.
 */
const LOCALS = new Set(['user', 'lang', 't', 'fmt', 'path', 'settings', 'baseUrl', 'csrf', 'csrfField', 'localiseEmbeds', 'feeds', 'unread', 'body'])
const LAYOUT_KEYS = [...new Set([...fs.readFileSync(path.join(VIEWS_DIR, 'layout.eta'), 'utf8').matchAll(/\bit\.(\w+)/g)].map((m) => m[1]!))]
  .filter((k) => !LOCALS.has(k))

interface SharedBody extends Pick<CachedPage, 'made' | 'scopes' | 'everything' | 'currentAt'> {
  /** Which body this is, for its layout frames (a frame must not keep the body itself alive). */
  serial: number
  /** The body in UTF-8 without its markers, and where each personal value goes in it. */
  body: BodyBytes
  layout: Record<string, unknown>
  feeds: PageLocals['feeds']
  /** People the body would differ for (see SharedOptions.owners). */
  owners: Set<number>
  /** SharedOptions.version's number: a body of another version is made again, in its place. */
  version: number | undefined
}

/**
 * A body being made. The requests read in one turn of the event loop run their handlers side by side
 * (each awaits its queries, and the others go on meanwhile), so those that ask for a body that went
 * stale all find it missing: at ten writes a second, nine of ten front pages and eight of ten
 * timelines made in the intranet day were made beside a request already making the same.
 */
interface Making {
  /** The change its maker had seen, and its everything generation and version: a request that saw more makes its own. */
  made: number
  everything: number
  version: number | undefined
  /** The body, or undefined if making it failed (each waiting request then makes its own, and meets its own error). */
  body: Promise<SharedBody | undefined>
}

/** Letters of a body's key past which a page is not shared (a search of 2,000 letters): its key would be kept outside every byte budget. */
const MAX_KEY = 1_000

/** SharedBody.serial: the bodies made so far. */
let bodies = 0

type PageData = Record<string, unknown>

export interface SharedOptions<D extends PageData> {
  /** What the body shows of the person (e.g. 'following:true'): part of the key. */
  personal?: string
  /**
   * The people for whom the body is not the shared one: their own post or profile (edit buttons, what
   * the editors hid of theirs). They get a page made for them alone. A smaller part that differs for
   * its owner (a comment) is rendered both ways instead (ownViews).
   */
  owners?: (data: D) => Iterable<number | null | undefined>
  /** When the body shows something else without any change (an edit link whose time runs out), in ms. */
  expires?: (data: D) => number | undefined
  /**
   * What the body is made from when that alone decides it (a kept search answer), by identity: a body
   * of another version is made again in its place, and a body is kept whatever else changes but what
   * every page shows (settings, people, guidelines). The page kept per session still depends on what
   * the route named (dependsOn).
   */
  version?: object
}

type Producer = (req: FastifyRequest, reply: FastifyReply) => string | Promise<string>

// Markers: letters, digits and dashes, unchanged by HTML escaping and encodeURIComponent alike; the
// nonce makes them unguessable, so no stored text can forge one.
const NONCE = randomBytes(9).toString('hex')
const MARKER = new RegExp(`bbslot-${NONCE}-([a-z]+)-`, 'g')
const MARKER_START = `bbslot-${NONCE}-`
const marker = (name: string) => `bbslot-${NONCE}-${name}-`
/** Where the body goes in the layout rendered around it. */
const BODY = `bbbody-${NONCE}-`
// An owned part (ownViews): OWN<id> before the owner's rendering, ELSE before everyone else's, END
// after. Upper case: never a value's name ([a-z]+) nor a piece's (digits).
const OWN_START = (owner: number) => marker(`OWN${owner}`)
const OWN_ELSE = marker('ELSE')
const OWN_END = marker('END')
// What a filled-in value may contain: the same in an attribute, a URL and text, escaped or not.
const SAFE_VALUE = /^[A-Za-z0-9_\-.~]*$/
const producers = new Map<string, Producer>([['csrf', (_req, reply) => reply.locals.csrf()]])
// The person's own words in the layout (layoutFrame): filled in escaped, by name, never produced.
const LAYOUT_VALUES = ['username', 'name', 'unread'] as const
for (const name of LAYOUT_VALUES) producers.set(name, () => { throw new Error(`${name}: a layout value, filled in by the frame`) })

/**
 * A value that differs per person (e.g. the feed key in a link). Defined once at module level; its
 * `value(req)` is the person's value, or a marker while a shared body is being rendered.
 * Values must be URL- and HTML-safe as they are (letters, digits, `_-.~`).
 */
export function personalValue(name: string, produce: (req: FastifyRequest) => string | Promise<string>) {
  if (!/^[a-z]+$/.test(name) || producers.has(name)) throw new Error(`personal value ${name}: taken or not [a-z]+`)
  producers.set(name, (req) => produce(req))
  return {
    value: async (req: FastifyRequest): Promise<string> => (req.renderingShared ? marker(name) : produce(req)),
  }
}

/** A part of a page that its owner sees otherwise: `ownView` is it as they see it, when the page is shared. */
export interface OwnedView<V> {
  authorId: number | null
  ownView?: V
}

/** A view to print, with what goes before and after it (markers, in a shared body). */
export interface ViewToPrint<V> {
  view: V
  before: string
  after: string
}

/**
 * `<% it.ownViews(cm).forEach(function (o) { %><%~ o.before %>…o.view…<%~ o.after %><% }) %>`: a
 * part of a page as its reader sees it (views/comments/item.eta). Outside a shared body `view` is
 * already the reader's: printed as it is. `shows`: what the part prints of the fields in which a
 * view and its ownView can differ, when it prints less than all of them (a comment's text shows the
 * text the editors hid, not the buttons): where those are the same, the part is printed once.
 */
export function ownViews<V extends OwnedView<V>>(view: V, _shows?: (view: V) => unknown[]): ViewToPrint<V>[] {
  return [{ view, before: '', after: '' }]
}

/**
 * ownViews in a shared body: the owner's view and everyone else's, between markers, and each request
 * takes its reader's (bytesOf). Templates print both (no include, no data copied); no HTML is made
 * per request.
 */
function ownViewsShared<V extends OwnedView<V>>(view: V, shows?: (view: V) => unknown[]): ViewToPrint<V>[] {
  const own = view.ownView
  if (!own || typeof view.authorId !== 'number') return [{ view, before: '', after: '' }]
  if (shows) {
    const [a, b] = [shows(own), shows(view)]
    if (a.length === b.length && a.every((x, i) => x === b[i])) return [{ view, before: '', after: '' }]
  }
  return [{ view: own, before: OWN_START(view.authorId), after: '' }, { view, before: OWN_ELSE, after: OWN_END }]
}

declare module 'fastify' {
  interface FastifyRequest {
    /** True while a shared body's data and template are made: personal values are markers then. */
    renderingShared: boolean
    /** The page viewShared answered with, and its parts (for the session page cache). */
    pageParts: { parts: PageParts; page: Buffer } | null
  }
  interface FastifyInstance {
    sharedBodies: GenerationCache<SharedBody>
    /** Keys asked for once: a body is shared from its second reader on (see viewShared). */
    sharedAskedFor: GenerationCache<true>
    /** The layout around a shared body, with markers for the person's values (see layoutFrame). */
    sharedFrames: GenerationCache<LayoutFrame>
    /** Bodies being made, by key: requests for one wait for it (see viewShared). */
    sharedMaking: Map<string, Making>
  }
}

/** Register after the views and the page cache. */
export function registerSharedPages(
  app: FastifyInstance,
  budget: { bodies: number; frames: number },
): void {
  const options = { maxEntries: 2_000, maxBytes: budget.bodies, ttlMs: 3_600_000 }
  app.decorateRequest('renderingShared', false)
  app.decorateRequest('pageParts', null)
  app.decorate('sharedBodies', new GenerationCache<SharedBody>({ isCurrent: (entry, gen) => pageIsCurrent(app.changes, entry, gen), ...options }))
  app.decorate('sharedAskedFor', new GenerationCache<true>({ isCurrent: () => true, maxEntries: 20_000, ttlMs: options.ttlMs }))
  // A frame lives no longer than its body (layoutFrame checks both are the same).
  app.decorate('sharedFrames', new GenerationCache<LayoutFrame>({ isCurrent: () => true, maxEntries: 4_000, maxBytes: budget.frames, ttlMs: options.ttlMs }))
  app.decorate('sharedMaking', new Map<string, Making>())
  app.addHook('onClose', async () => {
    app.sharedMaking.clear()
    app.sharedBodies.clear()
    app.sharedAskedFor.clear()
    app.sharedFrames.clear()
  })
}

// Renders a page's template without its layout: the layout include answers with the body alone and
// keeps what the template passed to it.
const bodyEta = new ViewEngine(VIEW_OPTIONS)
const renderTemplate = bodyEta.render.bind(bodyEta)
let layoutData: Record<string, unknown> | undefined
bodyEta.render = ((name: string, data: Record<string, unknown>, meta?: unknown) => {
  if (name !== '/layout') return renderTemplate(name, data, meta as never)
  layoutData = data
  return data.body as string
}) as typeof bodyEta.render

/** While a body is rendered: its text so far, set aside in pieces, each printed as a marker (see bodyBytes). */
let pieces: string[] | undefined
/** Letters a template's output grows to before it is set aside: pieces stay well below V8's large objects. */
const PIECE_SIZE = 16_384
const setAside = (text: string): string => {
  if (!pieces) return text
  pieces.push(text)
  return marker(String(pieces.length - 1))
}
// Each template's output is set aside whenever it has grown past PIECE_SIZE, after the statement that
// printed (never inside a value or a tag's escaping), so the whole body is never one string. The two
// go in one block: after a brace-less `<% if (a) %>x<% else %>y`, the else still belongs to the if.
const compileBody = bodyEta.compileBody
bodyEta.compileBody = function (buffer) {
  let fn = 'const __eta_setAside = this.setAside;\n'
  for (const block of buffer) {
    const statement = compileBody.call(this, [block])
    const prints = typeof block === 'string' || block.t === 'r' || block.t === 'i'
    fn += prints ? `{${statement}if (__eta.res.length > ${PIECE_SIZE}) __eta.res = __eta_setAside(__eta.res);}\n` : statement
  }
  return fn
}
Object.assign(bodyEta, { setAside })

/** Renders a page's body as bytes with the places of its personal values (see bodyBytes), and what it passed to the layout. */
function renderBody(template: string, data: Record<string, unknown>): { body: BodyBytes; layout: Record<string, unknown> } {
  pieces = []
  layoutData = undefined
  try {
    const body = bodyBytes(renderTemplate(template, data), pieces)
    const layout: Record<string, unknown> = {}
    for (const k of LAYOUT_KEYS) if (layoutData?.[k] !== undefined) layout[k] = layoutData[k]
    return { body, layout }
  } finally {
    pieces = undefined
  }
}

/** The viewer as a shared body may see it: roles only. */
function viewerClass(user: CurrentUser | null): { key: string; user: CurrentUser | null } {
  if (!user) return { key: 'anon', user: null }
  const roles = { isEditor: user.isEditor, isAdmin: user.isAdmin }
  return {
    key: `u${roles.isEditor ? 'e' : ''}${roles.isAdmin ? 'a' : ''}`,
    user: Object.freeze({ id: 0, username: '', displayName: '', email: null, language: null, theme: null, sessionId: '', ...roles }),
  }
}

/**
 * Renders `template` (a page with layout('/layout')) like reply.viewAsync, as bytes, with its body
 * shared: made
 * by `make` and the template once per URL, language, kind of viewer (roles) and `personal` (from
 * the second time it is asked for: the first reader gets a page made for them alone), and kept
 * until what the page depends on (dependsOn, called before this) changes. `make(viewer)` gets the
 * viewer to make the page for: roles only (no id or name) for a shared body, the person for an owner.
 * Whatever else of the person's the body shows goes into `personal` (e.g. 'following:true'), and
 * their own values into personalValue()s. An anonymous reader of a public site gets the page made
 * for them alone: the page cache keeps it whole.
 */
export async function viewShared<D extends PageData>(
  req: FastifyRequest, reply: FastifyReply, template: string, make: (viewer: CurrentUser | null) => Promise<D>, options: SharedOptions<D> = {},
): Promise<string | Buffer> {
  // A body kept besides the whole page would only cost the time to split it and the memory to hold it twice.
  if (req.pageCacheKey) return viewAlone(reply, template, await make(null))
  const viewer = viewerClass(req.user)
  const key = `${template}\n${req.lang}\n${viewer.key}\n${options.personal ?? ''}\n${pageOf(req)}`
  if (key.length > MAX_KEY) return viewAlone(reply, template, await make(req.user))
  const cache = req.server.sharedBodies
  // By number, not the object: a kept body keeps no answer alive.
  const version = options.version && serialOf(options.version)
  let entry = cache.get(key)
  // Another version (an older search answer): made again under the same key, so old ones do not pile up.
  if (entry && (entry.version !== version || expired(entry.body))) entry = undefined
  if (!entry && !req.server.sharedAskedFor.get(key)) {
    // A page nobody else asked for (a search's second page, an old post) is made for this reader alone:
    // keeping every such body would cost more (memory, collection) than sharing it saves.
    req.server.sharedAskedFor.set(key, true)
    return viewAlone(reply, template, await make(req.user))
  }
  if (!entry) {
    // Being made for a request that saw all this one saw: the same body.
    const making = req.server.sharedMaking.get(key)
    if (making && making.version === version && making.everything === req.everythingSeen && making.made >= req.changeSeen) entry = await making.body
  }
  if (!entry) {
    const gen = contentGeneration()
    const made = req.changeSeen
    const feedsBefore = reply.locals.feeds
    let settle!: (body: SharedBody | undefined) => void
    const making: Making = { made, everything: req.everythingSeen, version, body: new Promise((resolve) => (settle = resolve)) }
    req.server.sharedMaking.set(key, making)
    req.renderingShared = true
    try {
      reply.locals.feeds = []
      const data = await make(viewer.user)
      const owners = new Set<number>()
      for (const id of options.owners?.(data) ?? []) if (typeof id === 'number') owners.add(id)
      const locals = { ...reply.locals, user: viewer.user, csrf: () => marker('csrf'), ownViews: ownViewsShared }
      const { body, layout } = renderBody(template, { ...locals, ...data })
      body.expires = options.expires?.(data)
      entry = { serial: ++bodies, body, layout, feeds: reply.locals.feeds, owners, made, everything: req.everythingSeen, scopes: version === undefined ? req.pageScopes ?? undefined : [...EVERY_PAGE], version }
      // The owners' renderings count too: a post body holds one for each comment by someone logged in.
      cache.set(key, entry, body.regions.reduce((n, r) => n + r.own.bytes.length, body.bytes.length) + 1_000, gen)
    } finally {
      settle(entry)
      if (req.server.sharedMaking.get(key) === making) req.server.sharedMaking.delete(key)
      req.renderingShared = false
      reply.locals.feeds = feedsBefore
    }
  }
  if (req.user && entry.owners.has(req.user.id)) return viewAlone(reply, template, await make(req.user))
  // What the body named while it was made (the posts shown …): the page kept per session depends on it too.
  if (entry.scopes && version === undefined) req.pageScopes = [...entry.scopes]
  const framed = reply.locals.feeds.length === 0 // nothing but the body's own feed links in <head>
  reply.locals.feeds.push(...entry.feeds)
  const values = new Map<string, string>()
  const frame = framed ? await layoutFrame(req, reply, key, entry, values) : await layoutAround(reply, entry)
  const parts = await partsOf(req, reply, frame, entry.body, values)
  if (!framed) return bytesOf(parts) // kept by the session page cache as it is
  // The session page cache keeps this person's page as these parts, not as its bytes (see PageParts);
  // only with a kept frame: one rendered for this request alone would be kept by the page alone. So
  // nothing keeps these bytes: they are written into a buffer used again after the response.
  const page = bytesOf(parts, (size) => responseBuffer(reply.raw, size))
  req.pageParts = { parts, page }
  return page
}

/**
 * A page made for this request alone (asked for the first time, an owner's, an anonymous reader's
 * for the page cache) as a shared body is made: its text in pieces and then bytes, never one string
 * (a post with 50 comments is over 128 KB, one of V8's large objects: making one cost about a
 * millisecond). The person's own values are in it as they are, so it has no places to fill in.
 */
export async function viewAlone(reply: FastifyReply, template: string, data: PageData): Promise<Buffer> {
  const { body, layout } = renderBody(template, { ...reply.locals, ...data })
  return bytesOf(await partsOf(reply.request, reply, await layoutAround(reply, { layout }), body, new Map()))
}

/**
 * A page as what it is assembled from, all of it shared but the values: the layout cut at its
 * markers, the body, and this person's values for both. The session page cache keeps a page from a
 * shared body this way (keptParts) and assembles it again when it is asked for: a kept page outlives
 * a scavenge or two and dies in V8's old generation, and each person's bytes (or even their
 * filled-in head) kept there made the server 40–80 MB larger and a new page dearer; counted at its
 * bytes, the cache held a few hundred people's pages of 2,000 (bench/README.md, twelfth run).
 */
export interface PageParts {
  frame: Pick<LayoutFrame, 'head' | 'tail'>
  body: BodyBytes
  /** Every value the frame and the body name. */
  values: Map<string, string>
  /** Whose page it is (the reader's id; -1 for none): of each owned part, the owner's rendering or everyone else's. */
  reader: number
  /** The page's size in bytes. */
  size: number
}

/**
 * Parts to keep: the shared frame and body held weakly (the shared caches decide how long they live;
 * once one is gone the kept page is too), the values as they are. `undefined` from remake: gone.
 */
export function keptParts(parts: PageParts): { remake: (alloc?: (size: number) => Buffer) => Buffer | undefined } {
  const frame = new WeakRef(parts.frame)
  const body = new WeakRef(parts.body)
  const { values, reader, size } = parts
  return {
    remake: (alloc) => {
      const f = frame.deref()
      const b = body.deref()
      return f && b && !expired(b) ? bytesOf({ frame: f, body: b, values, reader, size }, alloc) : undefined
    },
  }
}

async function partsOf(req: FastifyRequest, reply: FastifyReply, frame: Pick<LayoutFrame, 'head' | 'tail'>, body: BodyBytes, values: Map<string, string>): Promise<PageParts> {
  // reply.viewAsync says what the page is; a kept frame is not rendered again, so this does.
  if (!reply.getHeader('content-type')) reply.type('text/html; charset=utf-8')
  const reader = req.user?.id ?? -1
  // Awaited only when not made yet: a timeline names the CSRF token 60 times.
  for (const part of [frame.head, frame.tail]) for (let i = 1; i < part.length; i += 2) if (!values.has(part[i]!)) await valueOf(req, reply, part[i]!, values)
  let size = body.bytes.length
  const mine = partsOwnedBy(body, reader)
  for (const slot of body.slots) {
    if (mine.length && slot.region !== undefined && body.regions[slot.region]!.owner === reader) continue
    size += (values.get(slot.name) ?? (await valueOf(req, reply, slot.name, values))).length
  }
  for (const part of mine) {
    size += part.own.bytes.length - (part.end - part.at)
    for (const slot of part.own.slots) size += (values.get(slot.name) ?? (await valueOf(req, reply, slot.name, values))).length
  }
  // The layout's values include the person's name, which need not be ASCII; the body's are letters,
  // digits and `_-.~` (SAFE_VALUE): a byte each.
  for (const part of [frame.head, frame.tail]) for (let i = 0; i < part.length; i++) size += Buffer.byteLength(i % 2 ? values.get(part[i]!)! : part[i]!)
  return { frame, body, values, reader, size }
}

const NOT_AN_OWNER: BodyBytes['regions'] = []
/** The owned parts of a body that are `reader`'s: none for nearly everyone. */
const partsOwnedBy = (body: BodyBytes, reader: number) => (body.owners.has(reader) ? body.regions.filter((r) => r.owner === reader) : NOT_AN_OWNER)

const expired = (body: BodyBytes) => body.expires !== undefined && Date.now() >= body.expires

/** Text split at its markers (text, name, text …) with each marker replaced by its value. */
function filled(parts: string[], values: Map<string, string>): string {
  if (parts.length === 1) return parts[0]!
  let out = ''
  for (let i = 0; i < parts.length; i++) out += i % 2 ? values.get(parts[i]!)! : parts[i]!
  return out
}

/**
 * The page: the layout's head, the body with the values in its places, the layout's tail. One
 * buffer of the page's size, the body's bytes copied in runs between its values (a timeline prints
 * the CSRF token in 60 forms: 60 values, not 120 buffers to join). `alloc` gives the buffer: bytes
 * nothing keeps come from responseBuffer (page-buffers.ts).
 */
export function bytesOf({ frame, body, values, reader, size }: PageParts, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const { bytes, slots, regions } = body
  const page = alloc(size)
  let at = page.write(filled(frame.head, values))
  let from = 0
  const mine = partsOwnedBy(body, reader)
  if (!mine.length) {
    for (const slot of slots) {
      at += bytes.copy(page, at, from, slot.at)
      at += page.write(values.get(slot.name)!, at, 'latin1')
      from = slot.at
    }
  } else {
    // The reader's own parts in place of everyone else's renderings of them, in the order of the text.
    let p = 0
    for (let s = 0; s <= slots.length; s++) {
      const slot = slots[s]
      for (; p < mine.length && (!slot || mine[p]!.seq < slot.seq); p++) {
        const part = mine[p]!
        at += bytes.copy(page, at, from, part.at)
        let ownFrom = 0
        for (const own of part.own.slots) {
          at += part.own.bytes.copy(page, at, ownFrom, own.at)
          at += page.write(values.get(own.name)!, at, 'latin1')
          ownFrom = own.at
        }
        at += part.own.bytes.copy(page, at, ownFrom)
        from = part.end
      }
      if (!slot || (slot.region !== undefined && regions[slot.region]!.owner === reader)) continue
      at += bytes.copy(page, at, from, slot.at)
      at += page.write(values.get(slot.name)!, at, 'latin1')
      from = slot.at
    }
  }
  at += bytes.copy(page, at, from)
  // allocUnsafe: a page one byte short of its size would send whatever memory was there before.
  if (at + page.write(filled(frame.tail, values), at) !== size) throw new Error('a page from a shared body came out at the wrong size')
  return page
}

/** The layout around a body, cut at its markers: text, a value's name, text … */
interface LayoutFrame {
  head: string[]
  tail: string[]
  /** What it was made for: a frame is used only with this very body and these settings (serials, not the objects: a kept frame keeps no old body alive). */
  body: number
  settings: number
}

let objectsSeen = 0
const serials = new WeakMap<object, number>()
const NO_SETTINGS = {}
/** An object's number (the settings, a body's version): a new object (settings re-read after a change, a new answer) gets a new one. */
const serialOf = (object: object) => {
  let n = serials.get(object)
  if (n === undefined) serials.set(object, (n = ++objectsSeen))
  return n
}

/** The layout rendered around a stand-in for the body, cut at its markers (feed links in <head> hold some). */
async function layoutAround(reply: FastifyReply, entry: Pick<SharedBody, 'layout'>, data: Record<string, unknown> = {}): Promise<Pick<LayoutFrame, 'head' | 'tail'>> {
  const frame = (await reply.viewAsync('layout', { ...entry.layout, ...data, body: BODY })).split(BODY)
  if (frame.length !== 2) throw new Error('the layout must print the body exactly once')
  return { head: frame[0]!.split(MARKER), tail: frame[1]!.split(MARKER) }
}

/**
 * The layout around a shared body, rendered once for everyone of the same kind who sees that body
 * (same roles: the body's key; same colour scheme; unread notifications or not) with markers for the
 * person's name, username and unread count, which go into `values`, escaped as the template would
 * have. Rendering the layout was about a fifth of a logged-in page from a shared body.
 */
async function layoutFrame(req: FastifyRequest, reply: FastifyReply, bodyKey: string, entry: SharedBody, values: Map<string, string>): Promise<Pick<LayoutFrame, 'head' | 'tail'>> {
  const user = req.user
  // A count, or "99+" past the cap (src/notifications/unread.ts): printed as it is.
  const unread = reply.locals.unread
  const escape = bodyEta.config.escapeFunction
  if (user) {
    values.set('username', escape(user.username))
    values.set('name', escape(user.displayName))
  }
  if (unread) values.set('unread', escape(unread))
  const key = `${bodyKey}\n${user ? `${user.theme ?? ''} ${unread ? 'unread' : ''}` : 'anon'}`
  const settings = serialOf(reply.locals.settings ?? NO_SETTINGS)
  const kept = req.server.sharedFrames.get(key)
  if (kept && kept.body === entry.serial && kept.settings === settings) return kept
  // The person as the layout may show them to everyone of their kind: roles and colour scheme, with
  // markers for their name (nothing else of theirs: a field the layout printed would be blank here,
  // and a test compares such a page with one made for the person alone).
  const stand = user ? { ...viewerClass(user).user!, theme: user.theme, username: marker('username'), displayName: marker('name') } : null
  const data = { user: stand, unread: unread ? marker('unread') : 0, csrf: () => marker('csrf') }
  const frame = { ...(await layoutAround(reply, entry, data)), body: entry.serial, settings }
  // A marker the layout changed (cut short, upper-cased …) would not be found to fill in, and reach a browser.
  const outside = [...frame.head.filter((_, i) => i % 2 === 0), ...frame.tail.filter((_, i) => i % 2 === 0)].join('').toLowerCase()
  if (outside.includes(`bbslot-${NONCE.slice(0, 8)}`)) throw new Error('the layout printed a personal value other than as it is')
  req.server.sharedFrames.set(key, frame, 2 * (frame.head.join('').length + frame.tail.join('').length) + 200)
  return frame
}

/**
 * A shared body in UTF-8 without its markers, as everyone sees it who owns none of its parts;
 * `slots`, in order, say where each personal value goes.
 */
interface BodyBytes {
  bytes: Buffer
  /** `region`: the value is in everyone else's rendering of that owned part (its owner gets their own). `seq`: its place in the text among the owned parts. */
  slots: { at: number; name: string; region?: number; seq: number }[]
  /** The owned parts, in order: at–end in `bytes` is everyone else's rendering, `own` the owner's, with its values. */
  regions: { owner: number; at: number; end: number; seq: number; own: { bytes: Buffer; slots: { at: number; name: string }[] } }[]
  /** Whose parts there are: a reader who is none of these gets `bytes` with the values, as from a body without any. */
  owners: Set<number>
  /** When an owned part changes by itself (an edit link whose time is up): the body is made again then. */
  expires?: number
}

type BodyEvent = { value: string } | { own: number } | 'else' | 'end'

/**
 * A body's text (and the pieces set aside while it was rendered) as bytes and the places of its
 * personal values and owned parts. Bytes, not text: a string of more than 128 KB (a page of 100 KB
 * with one letter beyond Latin-1, say "…" in a hint, is two bytes a letter) is one of V8's large
 * objects, and making one cost about a millisecond here (its memory is mapped for it and given back
 * after); a buffer is plain memory. For the same reason the body's text never exists whole: its
 * templates set it aside in pieces as it grew (bodyEta.compileBody). The runs between markers are
 * slices of those pieces, written once into one buffer of their own (small buffers share Node's
 * 8 KB pool slabs, and a kept one would keep its whole slab); the owners' renderings into a second.
 * Everyone else's page is then copied in runs between its values only, as from a body without
 * owned parts: copying around 100 owners' renderings cost a post page an eighth of its CPU.
 */
function bodyBytes(text: string, pieces: readonly string[]): BodyBytes {
  const runs: string[] = []
  const events: (BodyEvent | undefined)[] = [] // events[i]: what comes after runs[i]
  const cut = (text: string) => {
    let from = 0
    for (let at = text.indexOf(MARKER_START); at >= 0; at = text.indexOf(MARKER_START, from)) {
      const nameStart = at + MARKER_START.length
      const nameEnd = text.indexOf('-', nameStart)
      const name = nameEnd < 0 ? '' : text.slice(nameStart, nameEnd)
      runs.push(text.slice(from, at))
      if (/^[a-z]+$/.test(name)) events.push({ value: name })
      else if (/^OWN\d+$/.test(name)) events.push({ own: Number(name.slice(3)) })
      else if (name === 'ELSE' || name === 'END') events.push(name === 'ELSE' ? 'else' : 'end')
      else if (/^\d+$/.test(name) && pieces[Number(name)] !== undefined) {
        events.push(undefined)
        cut(pieces[Number(name)]!)
      } else throw new Error('a shared body holds a broken marker')
      from = nameEnd + 1
    }
    runs.push(text.slice(from))
    events.push(undefined)
  }
  cut(text)
  // Where each run goes: an owner's rendering (between OWN and ELSE) or the body everyone else gets.
  const lengths: number[] = []
  const owned: boolean[] = []
  let size = 0
  let ownSize = 0
  type Place = 'out' | 'own' | 'other'
  let state = 'out' as Place
  for (let i = 0; i < runs.length; i++) {
    const n = Buffer.byteLength(runs[i]!)
    lengths.push(n)
    owned.push(state === 'own')
    if (state === 'own') ownSize += n
    else size += n
    const event = events[i]
    if (event === undefined || (typeof event === 'object' && 'value' in event)) continue
    const [from, to]: [Place, Place] = typeof event === 'object' ? ['out', 'own'] : event === 'else' ? ['own', 'other'] : ['other', 'out']
    if (state !== from) throw new Error('owned parts out of order or one inside another')
    state = to
  }
  if (state !== 'out') throw new Error('an owned part not closed')
  const bytes = Buffer.allocUnsafeSlow(size)
  const ownBytes = Buffer.allocUnsafeSlow(ownSize)
  const slots: BodyBytes['slots'] = []
  const regions: BodyBytes['regions'] = []
  let open: { owner: number; seq: number; ownStart: number; at: number; slots: { at: number; name: string }[] } | undefined
  let at = 0
  let ownAt = 0
  let seq = 0
  for (let i = 0; i < runs.length; i++) {
    if (lengths[i]) {
      if (owned[i]) ownAt += ownBytes.write(runs[i]!, ownAt)
      else at += bytes.write(runs[i]!, at)
    }
    const event = events[i]
    if (event === undefined) continue
    if (typeof event === 'object' && 'value' in event) {
      if (owned[i]) open!.slots.push({ at: ownAt - open!.ownStart, name: event.value })
      else slots.push(open ? { at, name: event.value, region: regions.length, seq: seq++ } : { at, name: event.value, seq: seq++ })
    } else if (typeof event === 'object') open = { owner: event.own, seq: seq++, ownStart: ownAt, at, slots: [] }
    else if (event === 'else') open!.at = at
    else {
      regions.push({ owner: open!.owner, at: open!.at, end: at, seq: open!.seq, own: { bytes: ownBytes.subarray(open!.ownStart, ownAt), slots: open!.slots } })
      open = undefined
    }
  }
  return { bytes, slots, regions, owners: new Set(regions.map((r) => r.owner)) }
}

/**
 * The page a request asks for: its path and the query parameters its route reads. Parameters the
 * route does not know cannot make a new body (or fill the memory with one per junk address).
 */
function pageOf(req: FastifyRequest): string {
  const schema = req.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined
  const query = (req.query ?? {}) as Record<string, unknown>
  const known = Object.keys(schema?.properties ?? {}).sort().filter((k) => query[k] !== undefined)
  return `${req.url.split('?')[0]}?${known.map((k) => `${k}=${encodeURIComponent(String(query[k]))}`).join('&')}`
}

/** This person's value for a marker, made once per request. */
async function valueOf(req: FastifyRequest, reply: FastifyReply, name: string, values: Map<string, string>): Promise<string> {
  let value = values.get(name)
  if (value === undefined) {
    const produce = producers.get(name)
    value = produce ? await produce(req, reply) : undefined
    if (value === undefined || !SAFE_VALUE.test(value)) throw new Error(`personal value ${name} missing or unsafe`)
    values.set(name, value)
  }
  return value
}
