// For pages that have a feed: announce it in <head> and get the links for the visible partial.
//
//   const feed = await feedLinks(req, reply, { kind: 'tag', tag: 'økonomi' })
//   return reply.viewAsync('tags/show', { ..., feedLinks: feed })
//   <%~ include('/feeds/links', { feedLinks: it.feedLinks }) %>
//
// On an internal site the links of a logged-in reader carry their personal key (a feed reader cannot
// log in), so such a page is personal: do not cache its HTML for other readers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Translate } from '../web/i18n/index.js'
import { feedKeyFor } from './keys.js'
import { FEED_TYPES, feedPath, isAlwaysPrivate, withKey, type FeedTarget } from './paths.js'
import { personalValue } from '../web/shared-page.js'
import { PerPerson } from '../web/per-person.js'

export interface FeedLinksView {
  /** The feed's name, e.g. "Betablogg – innlegg og oppdateringer med stikkordet «økonomi»". */
  title: string
  rss: string
  atom: string
}

export function feedTitle(t: Translate, target: FeedTarget): string {
  switch (target.kind) {
    case 'posts': return t('feeds.posts.title')
    case 'tag': return t('feeds.tag.title', { tag: target.tag })
    case 'author': return t('feeds.author.title', { name: target.name ?? target.username })
    case 'updates': return t('feeds.updates.title', { name: target.name ?? target.username })
    case 'micro': return t('feeds.micro.title')
    case 'comments': return t('feeds.comments.title', { title: target.title ?? target.slug })
    case 'editorial': return t('feeds.editorial.title')
  }
}

// The reader's own key: in a page body shared by many (src/web/shared-page.ts) it is filled in per
// request, kept per person until their key changes in any process ('feed-keys:<id>', a renewal).
const shownKeys = new WeakMap<FastifyInstance, PerPerson<string>>()
const FEED_KEY = personalValue('feedkey', (req) => {
  let keys = shownKeys.get(req.server)
  if (!keys) shownKeys.set(req.server, (keys = new PerPerson((id) => [`feed-keys:${id}`])))
  const id = req.user!.id
  return keys.get(req, id, () => feedKeyFor(req.server.db, req.server.config.sessionSecret, id))
})

/** The key a reader's feed links need on this site, if any. */
export async function linkKey(req: FastifyRequest, target: FeedTarget): Promise<string | undefined> {
  if (!req.user) return undefined
  if (req.settings.visibility !== 'internal' && !isAlwaysPrivate(target)) return undefined
  return FEED_KEY.value(req)
}

/** Adds the RSS and Atom <link rel="alternate"> to the page's head; returns the visible links. */
export async function feedLinks(req: FastifyRequest, reply: FastifyReply, target: FeedTarget): Promise<FeedLinksView> {
  const key = await linkKey(req, target)
  const title = feedTitle(req.t, target)
  const view = { title, rss: withKey(feedPath(target, 'rss'), key), atom: withKey(feedPath(target, 'atom'), key) }
  reply.locals.feeds.push({ title: `${title} (RSS)`, href: view.rss, type: FEED_TYPES.rss }, { title: `${title} (Atom)`, href: view.atom, type: FEED_TYPES.atom })
  return view
}
