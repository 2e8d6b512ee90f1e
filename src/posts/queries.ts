// Every query of blog posts and their revisions. Lists are keyset-paginated on indexed columns.
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { DB, PostRevisionsTable, PostsTable } from '../db/schema.js'
import type { Cursor } from './cursor.js'
import { compiledOnce, compiledPages } from '../db/compiled.js'

export type PostRow = Selectable<PostsTable>
export type RevisionRow = Selectable<PostRevisionsTable>

export async function findPostById(db: Kysely<DB>, id: number) {
  return (await postById(db, id))[0]
}

const postById = compiledOnce((db: Kysely<DB>, id: number) => db.selectFrom('posts').selectAll().where('id', '=', id))

export async function findPostBySlug(db: Kysely<DB>, slug: string) {
  return (await postBySlug(db, slug))[0]
}

const postBySlug = compiledOnce((db: Kysely<DB>, slug: string) => db.selectFrom('posts').selectAll().where('slug', '=', slug))

/**
 * What a reader's request needs of a post before its shared page body is used: who may see it and
 * what is personal on it. The whole row (the body's text included) is read only when the body is
 * made; reading it each time was the largest query of a post page from a shared body.
 */
export async function findPostKeyBySlug(db: Kysely<DB>, slug: string) {
  return (await postKeyBySlug(db, slug))[0]
}

const postKeyBySlug = compiledOnce((db: Kysely<DB>, slug: string) =>
  db.selectFrom('posts').select(['id', 'slug', 'status', 'author_id', 'comments_closed']).where('slug', '=', slug))

/** The current slug of the published post an old slug belonged to (a withdrawn post's new slug stays private). */
export function findSlugRedirect(db: Kysely<DB>, oldSlug: string) {
  return db
    .selectFrom('post_slugs')
    .innerJoin('posts', 'posts.id', 'post_slugs.post_id')
    .select(['posts.slug'])
    .where('post_slugs.slug', '=', oldSlug)
    .where('posts.status', '=', 'published')
    .executeTakeFirst()
}

/** Slugs in use by posts or kept as redirects (other than `exceptPostId`'s) that start with `base`. */
export async function listTakenSlugs(db: Kysely<DB>, base: string, exceptPostId?: number): Promise<Set<string>> {
  // uniqueSlug may shorten a long base at a hyphen before adding "-2": match on its first word then.
  const prefix = base.length <= 70 ? base : (base.split('-')[0] ?? base)
  // An index range: slugs are [a-z0-9-], all of which sort before "{".
  const end = `${prefix}{`
  let current = db.selectFrom('posts').select('slug').where('slug', '>=', prefix).where('slug', '<', end)
  let old = db.selectFrom('post_slugs').select('slug').where('slug', '>=', prefix).where('slug', '<', end)
  if (exceptPostId !== undefined) {
    current = current.where('id', '!=', exceptPostId)
    old = old.where('post_id', '!=', exceptPostId)
  }
  const rows = await current.union(old).execute()
  return new Set(rows.map((r) => r.slug))
}

export async function insertPost(db: Kysely<DB>, row: Insertable<PostsTable>): Promise<number> {
  const r = await db.insertInto('posts').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updatePost(db: Kysely<DB>, id: number, patch: Updateable<PostsTable>): Promise<void> {
  await db.updateTable('posts').set(patch).where('id', '=', id).execute()
}

export async function deletePostRow(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('posts').where('id', '=', id).execute()
}

export async function keepOldSlug(db: Kysely<DB>, slug: string, postId: number): Promise<void> {
  await db.insertInto('post_slugs').values({ slug, post_id: postId }).onConflict((oc) => oc.column('slug').doUpdateSet({ post_id: postId })).execute()
}

export async function dropOldSlug(db: Kysely<DB>, slug: string): Promise<void> {
  await db.deleteFrom('post_slugs').where('slug', '=', slug).execute()
}

export async function clearPins(db: Kysely<DB>): Promise<void> {
  await db.updateTable('posts').set({ pinned_at: null }).where('pinned_at', 'is not', null).execute()
}

export async function insertRevision(db: Kysely<DB>, row: Insertable<PostRevisionsTable>): Promise<number> {
  const r = await db.insertInto('post_revisions').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export function findRevision(db: Kysely<DB>, postId: number, id: number) {
  return db
    .selectFrom('post_revisions')
    .leftJoin('users', 'users.id', 'post_revisions.author_id')
    .selectAll('post_revisions')
    .select('users.display_name as saved_by')
    .where('post_revisions.post_id', '=', postId)
    .where('post_revisions.id', '=', id)
    .executeTakeFirst()
}

/** The newest revision of a post with exactly this content (what an editor saw when deciding). */
export function findRevisionByHash(db: Kysely<DB>, postId: number, hash: string) {
  return db.selectFrom('post_revisions').selectAll().where('post_id', '=', postId).where('content_hash', '=', hash)
    .orderBy('id', 'desc').limit(1).executeTakeFirst()
}

/** Newest first, `limit + 1` rows (the extra one says there is a next page). */
/** A revision's number within its post (1 for the first save), counted on the (post_id, id) index. */
export async function revisionNumber(db: Kysely<DB>, postId: number, revisionId: number): Promise<number> {
  const r = await db.selectFrom('post_revisions').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('post_id', '=', postId).where('id', '<=', revisionId).executeTakeFirstOrThrow()
  return Number(r.n)
}

export function listRevisions(db: Kysely<DB>, postId: number, beforeId: number | undefined, limit: number) {
  let q = db
    .selectFrom('post_revisions')
    .leftJoin('users', 'users.id', 'post_revisions.author_id')
    .select(['post_revisions.id', 'post_revisions.title', 'post_revisions.created_at', 'post_revisions.restored_from', 'post_revisions.content_hash', 'users.display_name as saved_by'])
    .where('post_id', '=', postId)
    .orderBy('post_revisions.id', 'desc')
    .limit(limit + 1)
  if (beforeId !== undefined) q = q.where('post_revisions.id', '<', beforeId)
  return q.execute()
}

export const CARD_COLUMNS = [
  'posts.id', 'posts.slug', 'posts.title', 'posts.summary', 'posts.status', 'posts.published_at', 'posts.comment_count',
  'posts.pinned_at', 'posts.author_id', 'users.username as author_username', 'users.display_name as author_name',
  'posts.cover_upload_id', 'users.avatar_path as author_avatar',
] as const

/** Published posts, newest first; for the front page. */
export function listPublishedPosts(db: Kysely<DB>, opts: { before?: Cursor; limit: number; excludeId?: number; authorId?: number }) {
  // Ids start at 1: excluding 0 excludes nothing (one statement with and without a pinned post).
  const excludeId = opts.excludeId ?? 0
  return opts.authorId === undefined
    ? published(db, opts.before, opts.limit + 1, excludeId)
    : publishedBy(db, opts.before, opts.limit + 1, excludeId, opts.authorId)
}

function publishedCards(db: Kysely<DB>, before: Cursor | undefined, limit: number, excludeId: number) {
  const q = db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select(CARD_COLUMNS)
    .where('posts.status', '=', 'published')
    .where('posts.id', '!=', excludeId)
    .orderBy('posts.published_at', (o) => o.desc().nullsLast())
    .orderBy('posts.id', 'desc')
    .limit(limit)
  return before ? q.where((eb) => eb(eb.refTuple('posts.published_at', 'posts.id'), '<', eb.tuple(before.at, before.id))) : q
}

const published = compiledPages(publishedCards)
const publishedBy = compiledPages((db: Kysely<DB>, before: Cursor | undefined, limit: number, excludeId: number, authorId: number) =>
  publishedCards(db, before, limit, excludeId).where('posts.author_id', '=', authorId))

export type PostCardRow = Awaited<ReturnType<typeof listPublishedPosts>>[number]

export async function findPinnedPost(db: Kysely<DB>) {
  return (await pinnedPost(db))[0]
}

const pinnedPost = compiledOnce((db: Kysely<DB>) => db
  .selectFrom('posts')
  .innerJoin('users', 'users.id', 'posts.author_id')
  .select(CARD_COLUMNS)
  .where('posts.pinned_at', 'is not', null)
  .where('posts.status', '=', 'published')
  .orderBy('posts.pinned_at', 'desc'))

/** The published posts just before and after `post` in reading order. */
export async function findNeighbours(db: Kysely<DB>, post: { id: number; published_at: string }) {
  const [older, newer] = await Promise.all([olderPost(db, post.published_at, post.id), newerPost(db, post.published_at, post.id)])
  return { older: older[0], newer: newer[0] }
}

const neighbour = (db: Kysely<DB>) => db.selectFrom('posts').select(['slug', 'title']).where('status', '=', 'published').limit(1)
const olderPost = compiledOnce((db: Kysely<DB>, at: string, id: number) =>
  neighbour(db).where((eb) => eb(eb.refTuple('published_at', 'id'), '<', eb.tuple(at, id))).orderBy('published_at', 'desc').orderBy('id', 'desc'))
const newerPost = compiledOnce((db: Kysely<DB>, at: string, id: number) =>
  neighbour(db).where((eb) => eb(eb.refTuple('published_at', 'id'), '>', eb.tuple(at, id))).orderBy('published_at').orderBy('id'))

/** An author's own posts in every state, most recently changed first ("my posts"). */
export function listPostsOfAuthor(db: Kysely<DB>, authorId: number, before: Cursor | undefined, limit: number) {
  let q = db
    .selectFrom('posts')
    .select(['id', 'slug', 'title', 'status', 'edit_status', 'published_at', 'scheduled_at', 'updated_at', 'review_note', 'review_note_at'])
    .where('author_id', '=', authorId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
  if (before) q = q.where((eb) => eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(before.at, before.id)))
  return q.execute()
}

export async function findUserName(db: Kysely<DB>, id: number) {
  return (await userName(db, id))[0]
}

const userName = compiledOnce((db: Kysely<DB>, id: number) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'bio', 'unit', 'job_title', 'avatar_path']).where('id', '=', id))

/** For re-rendering: posts by id, in batches. */
export function listPostsAfter(db: Kysely<DB>, afterId: number, limit: number) {
  return db.selectFrom('posts').select(['id', 'lead', 'body_md', 'body_html']).where('id', '>', afterId).orderBy('id').limit(limit).execute()
}

export function listRevisionsAfter(db: Kysely<DB>, afterId: number, limit: number) {
  return db.selectFrom('post_revisions').select(['id', 'body_md', 'body_html']).where('id', '>', afterId).orderBy('id').limit(limit).execute()
}

export async function updateRevisionHtml(db: Kysely<DB>, id: number, bodyHtml: string): Promise<void> {
  await db.updateTable('post_revisions').set({ body_html: bodyHtml }).where('id', '=', id).execute()
}

/** At most this many of a post's tags are looked at for related posts. */
export const RELATED_TAGS_MAX = 8

/**
 * The newest published posts of each tag, other than `excludeId`, `perTag` per tag (for "related
 * posts"), in one statement: a short range of index post_tags_tag_idx per tag, joined to posts once.
 * A post appears once for each of the tags it shares. Compiled once per number of tags: building
 * a union of eight arms cost more than running it.
 */
export async function listRecentPostsWithTags(db: Kysely<DB>, tagIds: number[], excludeId: number, perTag: number) {
  const ids = tagIds.slice(0, RELATED_TAGS_MAX)
  if (!ids.length) return []
  return recentWithTags(db, excludeId, perTag, ...ids)
}

const recentWithTags = compiledOnce((db: Kysely<DB>, excludeId: number, perTag: number, ...tagIds: number[]) => {
  const newest = (tagId: number) => db.selectFrom((eb) => eb
    .selectFrom('post_tags')
    .select(['post_tags.post_id', 'post_tags.published_at'])
    .where('post_tags.tag_id', '=', tagId)
    .where('post_tags.published_at', 'is not', null)
    .where('post_tags.post_id', '!=', excludeId)
    .orderBy('post_tags.published_at', 'desc')
    .orderBy('post_tags.post_id', 'desc')
    .limit(perTag)
    .as('newest'))
    .selectAll()
  const [first, ...rest] = tagIds.map(newest)
  const each = rest.reduce((all, q) => all.unionAll(q), first!)
  return db
    .selectFrom(each.as('shared'))
    .innerJoin('posts', 'posts.id', 'shared.post_id')
    .select(['posts.id', 'posts.slug', 'posts.title', 'shared.published_at'])
})
