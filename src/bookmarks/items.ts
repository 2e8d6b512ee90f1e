// A mixed list of posts and updates (the bookmarks page, the personal timeline) as the templates see
// it: post cards and update views in the given order, each with the viewer's bookmark state. Whatever
// is no longer readable (unpublished, deleted, hidden) is left out here too, whatever the caller found.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { CARD_COLUMNS } from '../posts/queries.js'
import { toCards, type PostCard } from '../posts/view.js'
import { listMicroByIds } from '../micro/queries.js'
import { toMicroView, type MicroView } from '../micro/view.js'
import { listBookmarkedPostIds } from './queries.js'

export type ListItem =
  | { kind: 'post'; id: number; card: PostCard; bookmarked: boolean }
  | { kind: 'micro'; id: number; u: MicroView }

function listPublishedCardRows(db: Kysely<DB>, ids: number[]) {
  if (!ids.length) return Promise.resolve([])
  return db.selectFrom('posts').innerJoin('users', 'users.id', 'posts.author_id').select(CARD_COLUMNS)
    .where('posts.id', 'in', ids).where('posts.status', '=', 'published').execute()
}

export async function loadItems(db: Kysely<DB>, viewer: CurrentUser, keys: { kind: 'post' | 'micro'; id: number }[]): Promise<ListItem[]> {
  const postIds = keys.filter((k) => k.kind === 'post').map((k) => k.id)
  const microIds = keys.filter((k) => k.kind === 'micro').map((k) => k.id)
  const [postRows, microRows, kept] = await Promise.all([
    listPublishedCardRows(db, postIds),
    listMicroByIds(db, microIds, viewer.id),
    listBookmarkedPostIds(db, viewer.id, postIds),
  ])
  const cards = new Map((await toCards(db, postRows)).map((c) => [c.id, c]))
  const micros = new Map(microRows.filter((m) => !m.deleted_at && !m.hidden_at).map((m) => [m.id, toMicroView(m, viewer)]))
  const items: ListItem[] = []
  for (const k of keys) {
    if (k.kind === 'post') {
      const card = cards.get(k.id)
      if (card) items.push({ kind: 'post', id: k.id, card, bookmarked: kept.has(k.id) })
    } else {
      const u = micros.get(k.id)
      if (u) items.push({ kind: 'micro', id: k.id, u })
    }
  }
  return items
}
