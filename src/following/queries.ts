// SQL of following: who follows whom, which tags a person follows, and the personal timeline.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce, compiledPages, type KeysetCursor } from '../db/compiled.js'

// ── Follows ──

/** Adds a follow; false when it was already there. */
export async function insertUserFollow(db: Kysely<DB>, followerId: number, followedId: number, now: string): Promise<boolean> {
  const r = await db.insertInto('user_follows').values({ follower_id: followerId, followed_id: followedId, created_at: now })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

/** Removes a follow; false when there was none. */
export async function deleteUserFollow(db: Kysely<DB>, followerId: number, followedId: number): Promise<boolean> {
  const r = await db.deleteFrom('user_follows').where('follower_id', '=', followerId).where('followed_id', '=', followedId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function insertTagFollow(db: Kysely<DB>, userId: number, tagId: number, now: string): Promise<boolean> {
  const r = await db.insertInto('tag_follows').values({ user_id: userId, tag_id: tagId, created_at: now })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function deleteTagFollow(db: Kysely<DB>, userId: number, tagId: number): Promise<boolean> {
  const r = await db.deleteFrom('tag_follows').where('user_id', '=', userId).where('tag_id', '=', tagId).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export async function isFollowingUser(db: Kysely<DB>, followerId: number, followedId: number): Promise<boolean> {
  return !!(await db.selectFrom('user_follows').select('followed_id').where('follower_id', '=', followerId).where('followed_id', '=', followedId).executeTakeFirst())
}

const tagFollow = compiledOnce((db: Kysely<DB>, userId: number, tagId: number) =>
  db.selectFrom('tag_follows').select('tag_id').where('user_id', '=', userId).where('tag_id', '=', tagId))

/** On every tag archive a person opens. */
export async function isFollowingTag(db: Kysely<DB>, userId: number, tagId: number): Promise<boolean> {
  return (await tagFollow(db, userId, tagId)).length > 0
}

/** The active people one follows, by name (a deactivated person's follow is kept, unseen, until they return). */
export function listFollowedUsers(db: Kysely<DB>, followerId: number) {
  return db.selectFrom('user_follows as f')
    .innerJoin('users as u', 'u.id', 'f.followed_id')
    .select(['u.id', 'u.username', 'u.display_name', 'f.created_at'])
    .where('f.follower_id', '=', followerId)
    .where('u.is_active', '=', 1)
    .orderBy('u.display_name').orderBy('u.id')
    .execute()
}

export function listFollowedTags(db: Kysely<DB>, userId: number) {
  return db.selectFrom('tag_follows as f')
    .innerJoin('tags as t', 't.id', 'f.tag_id')
    .select(['t.id', 't.name', 'f.created_at'])
    .where('f.user_id', '=', userId)
    .orderBy('t.name')
    .execute()
}

/** How many of the newest published posts suggestions of people are drawn from. */
const SUGGESTION_WINDOW = 100

/**
 * Active people who published lately, whom the person does not follow yet (newest first):
 * suggestions for an empty timeline. Drawn from the newest SUGGESTION_WINDOW published posts (an
 * index range), not from every post: the cost stays the same however large the site grows.
 */
export function listSuggestedAuthors(db: Kysely<DB>, userId: number, limit: number) {
  return suggestedAuthors(db, userId, limit)
}

/** The query of listSuggestedAuthors, unexecuted (its plan is checked by the tests). */
export const suggestedAuthorsQuery = (db: Kysely<DB>, userId: number, limit: number) => db
  .selectFrom((eb) => eb.selectFrom('posts').select(['author_id', 'published_at'])
    .where('status', '=', 'published')
    .orderBy('published_at', (o) => o.desc().nullsLast()).orderBy('id', 'desc')
    .limit(SUGGESTION_WINDOW)
    .as('p'))
  // A cross join keeps SQLite reading the window first (an inner join let it scan every person).
  .crossJoin('users as u')
  .whereRef('u.id', '=', 'p.author_id')
  .select(['u.id', 'u.username', 'u.display_name'])
  .where('u.is_active', '=', 1)
  .where('u.id', '!=', userId)
  .where((eb) => eb.not(eb.exists(eb.selectFrom('user_follows as f').select('f.followed_id')
    .where('f.follower_id', '=', userId).whereRef('f.followed_id', '=', 'u.id'))))
  .groupBy(['u.id', 'u.username', 'u.display_name'])
  .orderBy((eb) => eb.fn.max('p.published_at'), (o) => o.desc().nullsLast())
  .limit(limit)

const suggestedAuthors = compiledOnce(suggestedAuthorsQuery)

/** The most used tags the person does not follow yet. */
export function listSuggestedTags(db: Kysely<DB>, userId: number, limit: number) {
  return db.selectFrom('tags as t')
    .select(['t.id', 't.name'])
    .where((eb) => eb(eb('t.post_count', '+', eb.ref('t.micro_count')), '>', 0))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('tag_follows as f').select('f.tag_id')
      .where('f.user_id', '=', userId).whereRef('f.tag_id', '=', 't.id'))))
    .orderBy((eb) => eb('t.post_count', '+', eb.ref('t.micro_count')), 'desc')
    .orderBy('t.name')
    .limit(limit)
    .execute()
}

/** Everything of a person's following, both ways (erasure). */
export async function deleteFollowsOf(db: Kysely<DB>, userId: number): Promise<void> {
  await db.deleteFrom('user_follows').where((eb) => eb.or([eb('follower_id', '=', userId), eb('followed_id', '=', userId)])).execute()
  await db.deleteFrom('tag_follows').where('user_id', '=', userId).execute()
}

// ── The personal timeline ──
//
// Posts and updates from the people and tags one follows, newest first. Each source is read as a
// short range of an index that already serves the author and tag pages, at most `limit` rows per
// source (the correlated `IN (… LIMIT n)`; per person usually fewer: PER_PERSON below), so a page
// costs (number of follows) × limit index steps
// however large the site is — like the global timeline, never a scan of all posts or updates:
//   posts by a person      posts_author_idx (author_id, status, published_at, id)
//   posts with a tag       post_tags_tag_idx (tag_id, published_at, post_id)
//   updates by a person    micro_posts_author_idx (author_id, created_at, id)
//   updates with a tag     micro_tags_tag_idx (tag_id, created_at, micro_id)
// The follows themselves are the primary keys of user_follows and tag_follows. test/following/
// timeline.test.ts checks the plan with EXPLAIN QUERY PLAN.
//
// Keyset: the page continues after (at, kind, id) of its last item, where posts sort before updates
// of the same instant. For a source of posts that means "(at, id) < (cursor.at, cursor.id)" when the
// cursor is a post and "at < cursor.at" when it is an update; for updates the other way round.

export type TimelineKind = 'post' | 'micro'
export interface TimelineCursor { at: string; kind: TimelineKind; id: number }
export interface TimelineKey { kind: TimelineKind; id: number; at: string }

const MAX_ID = Number.MAX_SAFE_INTEGER

/** The (at, id) bound for one kind of item: ids at the cursor's instant go up to the cursor's id, all or none. */
function boundFor(kind: TimelineKind, c: TimelineCursor | undefined): KeysetCursor | undefined {
  if (!c) return undefined
  if (c.kind === kind) return { at: c.at, id: c.id }
  // Posts come first at one instant: after an update, no post of that instant is left; after a post, every update is.
  return kind === 'post' ? { at: c.at, id: 0 } : { at: c.at, id: MAX_ID }
}

// Each followed person is read for only their newest PER_PERSON items first: a page's items mostly come
// from many people. Should one person have PER_PERSON or more items among the answer, the keys are
// read again with the whole `limit` per person. That is enough: an item missing from the first answer
// must come from a person whose PER_PERSON newer items were all read, and those items, being newer
// than one that belongs on the page, are on the page too, so that person has PER_PERSON items in the
// answer. (A tag is always read for `limit` items: a missing item cannot have a followed tag whose
// `limit` newer items were read, since they would fill the page before it.)
const PER_PERSON = 7

export async function listTimelinePostKeys(db: Kysely<DB>, userId: number, cursor: TimelineCursor | undefined, limit: number): Promise<TimelineKey[]> {
  const b = boundFor('post', cursor)
  const rows = await fewPerPersonFirst((perPerson) => timelinePosts(db, b, userId, limit, perPerson), limit)
  return rows.map((r) => ({ kind: 'post', id: r.id, at: r.at ?? '' }))
}

export async function listTimelineMicroKeys(db: Kysely<DB>, userId: number, cursor: TimelineCursor | undefined, limit: number): Promise<TimelineKey[]> {
  const b = boundFor('micro', cursor)
  const rows = await fewPerPersonFirst((perPerson) => timelineMicros(db, b, userId, limit, perPerson), limit)
  return rows.map((r) => ({ kind: 'micro', id: r.id, at: r.at }))
}

/** Reads with PER_PERSON items per person, and again with `limit` when one author has that many of the answer. */
async function fewPerPersonFirst<R extends { author_id: number }>(read: (perPerson: number) => Promise<R[]>, limit: number): Promise<R[]> {
  const few = Math.min(PER_PERSON, limit)
  const rows = await read(few)
  if (few === limit) return rows
  const counts = new Map<number, number>()
  for (const r of rows) {
    const n = (counts.get(r.author_id) ?? 0) + 1
    if (n >= few) return read(limit)
    counts.set(r.author_id, n)
  }
  return rows
}

/** The query of listTimelinePostKeys, unexecuted (its plan is checked by the tests). */
export function timelinePostQuery(db: Kysely<DB>, userId: number, cursor: TimelineCursor | undefined, limit: number) {
  return postKeys(db, boundFor('post', cursor), userId, limit, limit)
}

/** The query of listTimelineMicroKeys, unexecuted. */
export function timelineMicroQuery(db: Kysely<DB>, userId: number, cursor: TimelineCursor | undefined, limit: number) {
  return microKeys(db, boundFor('micro', cursor), userId, limit, limit)
}

// Compiled once for the first page and once for the pages after it: building these unions cost
// about as much as running them.
const timelinePosts = compiledPages(postKeys)
const timelineMicros = compiledPages(microKeys)

function postKeys(db: Kysely<DB>, b: KeysetCursor | undefined, userId: number, limit: number, perPerson: number) {
  const byPeople = db.selectFrom('user_follows as f')
    .crossJoin('users as u').whereRef('u.id', '=', 'f.followed_id')
    .crossJoin('posts as p').where((eb) => eb('p.id', 'in', (() => {
      let s = eb.selectFrom('posts as s').select('s.id')
        .whereRef('s.author_id', '=', 'f.followed_id')
        .where('s.status', '=', 'published')
        .orderBy('s.published_at', (o) => o.desc().nullsLast()).orderBy('s.id', 'desc').limit(perPerson)
      if (b) s = s.where((e) => e(e.refTuple('s.published_at', 's.id'), '<', e.tuple(b.at, b.id)))
      return s
    })()))
    .select(['p.id', 'p.published_at as at', 'p.author_id'])
    .where('f.follower_id', '=', userId)
    .where('u.is_active', '=', 1)
  const byTags = db.selectFrom('tag_follows as f')
    .crossJoin('posts as p').where((eb) => eb('p.id', 'in', (() => {
      let s = eb.selectFrom('post_tags as s').select('s.post_id')
        .whereRef('s.tag_id', '=', 'f.tag_id')
        .where('s.published_at', 'is not', null)
        .orderBy('s.published_at', 'desc').orderBy('s.post_id', 'desc').limit(limit)
      if (b) s = s.where((e) => e(e.refTuple('s.published_at', 's.post_id'), '<', e.tuple(b.at, b.id)))
      return s
    })()))
    .select(['p.id', 'p.published_at as at', 'p.author_id'])
    .where('f.user_id', '=', userId)
    // No filter on p.status here: post_tags.published_at is set exactly while the post is published
    // (src/tags/service.ts), and a filter would tempt the planner into posts_status_published_idx.
  return byPeople.union(byTags).orderBy('at', (o) => o.desc().nullsLast()).orderBy('id', 'desc').limit(limit)
}

function microKeys(db: Kysely<DB>, b: KeysetCursor | undefined, userId: number, limit: number, perPerson: number) {
  const byPeople = db.selectFrom('user_follows as f')
    .crossJoin('users as u').whereRef('u.id', '=', 'f.followed_id')
    .crossJoin('micro_posts as m').where((eb) => eb('m.id', 'in', (() => {
      let s = eb.selectFrom('micro_posts as s').select('s.id')
        .whereRef('s.author_id', '=', 'f.followed_id')
        .where('s.deleted_at', 'is', null).where('s.hidden_at', 'is', null)
        .orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(perPerson)
      if (b) s = s.where((e) => e(e.refTuple('s.created_at', 's.id'), '<', e.tuple(b.at, b.id)))
      return s
    })()))
    .select(['m.id', 'm.created_at as at', 'm.author_id'])
    .where('f.follower_id', '=', userId)
    .where('u.is_active', '=', 1)
  const byTags = db.selectFrom('tag_follows as f')
    .crossJoin('micro_posts as m').where((eb) => eb('m.id', 'in', (() => {
      // micro_tags holds visible updates only, with the update's own created_at (src/micro/service.ts).
      let s = eb.selectFrom('micro_tags as s').select('s.micro_id')
        .whereRef('s.tag_id', '=', 'f.tag_id')
        .orderBy('s.created_at', 'desc').orderBy('s.micro_id', 'desc').limit(limit)
      if (b) s = s.where((e) => e(e.refTuple('s.created_at', 's.micro_id'), '<', e.tuple(b.at, b.id)))
      return s
    })()))
    .select(['m.id', 'm.created_at as at', 'm.author_id'])
    .where('f.user_id', '=', userId)
    .where('m.deleted_at', 'is', null).where('m.hidden_at', 'is', null)
  return byPeople.union(byTags).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit)
}
