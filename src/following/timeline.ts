// The personal timeline: posts and updates from the people and tags one follows, merged newest first.
// Each kind is read by its own indexed query (src/following/queries.ts), a page's worth plus one of
// each; the merge keeps the newest, and the cursor is the (time, kind, id) of the page's last item.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { loadItems } from '../bookmarks/items.js'
import { tagPath } from '../posts/post.js'
import { personButton, tagButton } from './service.js'
import {
  listFollowedTags, listFollowedUsers, listSuggestedAuthors, listSuggestedTags, listTimelineMicroKeys, listTimelinePostKeys,
  type TimelineCursor, type TimelineKey,
} from './queries.js'

export const TIMELINE_PAGE = 20
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/

export function encodeTimelineCursor(k: TimelineKey): string {
  return `${k.at}~${k.kind === 'post' ? 'p' : 'm'}${k.id}`
}

/** The cursor, or undefined for anything malformed (a hand-edited URL gets the first page). */
export function decodeTimelineCursor(raw: string | undefined): TimelineCursor | undefined {
  const m = raw ? /^(.+)~([pm])(\d{1,15})$/.exec(raw) : null
  if (!m || !ISO.test(m[1]!)) return undefined
  return { at: m[1]!, kind: m[2] === 'p' ? 'post' : 'micro', id: Number(m[3]) }
}

/** Newest first; at the same instant posts before updates; then the higher id first. */
export function compareKeys(a: TimelineKey, b: TimelineKey): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1
  if (a.kind !== b.kind) return a.kind === 'post' ? -1 : 1
  return b.id - a.id
}

export async function timelinePage(db: Kysely<DB>, viewer: CurrentUser, rawCursor: string | undefined) {
  const cursor = decodeTimelineCursor(rawCursor)
  const [posts, micros] = await Promise.all([
    listTimelinePostKeys(db, viewer.id, cursor, TIMELINE_PAGE + 1),
    listTimelineMicroKeys(db, viewer.id, cursor, TIMELINE_PAGE + 1),
  ])
  const merged = [...posts, ...micros].sort(compareKeys).slice(0, TIMELINE_PAGE + 1)
  const keys = merged.slice(0, TIMELINE_PAGE)
  const items = await loadItems(db, viewer, keys)
  const next = merged.length > TIMELINE_PAGE ? encodeTimelineCursor(keys[keys.length - 1]!) : undefined
  const empty = !items.length && !cursor
  return {
    items, next, paged: !!cursor,
    here: cursor ? `/timeline?before=${encodeURIComponent(rawCursor!)}` : '/timeline',
    // An empty first page: whom and what to follow, unless one follows plenty already and they are just quiet.
    suggestions: empty ? await suggestionsFor(db, viewer) : undefined,
  }
}

export async function suggestionsFor(db: Kysely<DB>, viewer: CurrentUser) {
  const [people, tags, followsPeople, followsTags] = await Promise.all([
    listSuggestedAuthors(db, viewer.id, 6), listSuggestedTags(db, viewer.id, 10),
    listFollowedUsers(db, viewer.id), listFollowedTags(db, viewer.id),
  ])
  return {
    followsAnything: followsPeople.length + followsTags.length > 0,
    people: people.map((p) => ({ url: `/users/${encodeURIComponent(p.username)}`, button: personButton(p.id, p.username, p.display_name, false) })),
    tags: tags.map((t) => ({ url: tagPath(t.name), button: tagButton(t.id, t.name, false) })),
  }
}
