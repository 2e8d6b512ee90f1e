// Every query of the feeds feature. Read-only on the content tables (migrations 0003 and 0004); each
// list is one index range scan, newest first, limited.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export async function findTagByName(db: Kysely<DB>, name: string) {
  return (await tagByName(db, name))[0]
}

const tagByName = compiledOnce((db: Kysely<DB>, name: string) => db.selectFrom('tags').select(['id', 'name']).where('name', '=', name))

export async function findUserByUsername(db: Kysely<DB>, username: string) {
  return (await userByUsername(db, username))[0]
}

const userByUsername = compiledOnce((db: Kysely<DB>, username: string) =>
  db.selectFrom('users').select(['id', 'username', 'display_name', 'created_at']).where('username', '=', username))

/** When the site began: its first account (what an empty feed gives as its date). */
export async function findSiteStart(db: Kysely<DB>): Promise<string | undefined> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.min('created_at').as('first')).executeTakeFirst()
  return row?.first ?? undefined
}

/** A published post by its current or an old slug. */
export async function findPublishedPostBySlug(db: Kysely<DB>, slug: string) {
  const select = db.selectFrom('posts').select(['posts.id', 'posts.slug', 'posts.title', 'posts.published_at']).where('posts.status', '=', 'published')
  return (
    (await select.where('posts.slug', '=', slug).executeTakeFirst()) ??
    (await select.innerJoin('post_slugs', 'post_slugs.post_id', 'posts.id').where('post_slugs.slug', '=', slug).executeTakeFirst())
  )
}

function postColumns(db: Kysely<DB>) {
  return db
    .selectFrom('posts')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .leftJoin('uploads', 'uploads.id', 'posts.cover_upload_id')
    .select([
      'posts.id', 'posts.slug', 'posts.title', 'posts.summary', 'posts.body_html', 'posts.published_at', 'posts.updated_at',
      'posts.submitted_at', 'users.username', 'users.display_name', 'uploads.path as cover_path', 'uploads.alt as cover_alt',
    ])
}

export type FeedPostRow = Awaited<ReturnType<typeof listPublishedPosts>>[number]

/** The newest published posts, optionally of one author. */
export function listPublishedPosts(db: Kysely<DB>, opts: { limit: number; authorId?: number }) {
  return opts.authorId === undefined ? newestPosts(db, opts.limit) : newestPostsBy(db, opts.limit, opts.authorId)
}

const newest = (db: Kysely<DB>, limit: number) =>
  postColumns(db).where('posts.status', '=', 'published').orderBy('posts.published_at', (o) => o.desc().nullsLast()).orderBy('posts.id', 'desc').limit(limit)
const newestPosts = compiledOnce(newest)
const newestPostsBy = compiledOnce((db: Kysely<DB>, limit: number, authorId: number) => newest(db, limit).where('posts.author_id', '=', authorId))

/** The newest published posts with a tag (post_tags.published_at is set only while published). */
export const listTaggedPosts = compiledOnce((db: Kysely<DB>, tagId: number, limit: number) => postColumns(db)
  .innerJoin('post_tags', 'post_tags.post_id', 'posts.id')
  .where('post_tags.tag_id', '=', tagId)
  .where('post_tags.published_at', 'is not', null)
  .where('posts.status', '=', 'published')
  .orderBy('post_tags.published_at', 'desc')
  .orderBy('post_tags.post_id', 'desc')
  .limit(limit))

/** The editorial queue: submitted posts, the longest-waiting first. */
export function listSubmittedPosts(db: Kysely<DB>, limit: number) {
  return postColumns(db)
    .where('posts.status', '=', 'submitted')
    .orderBy('posts.submitted_at', (o) => o.asc().nullsLast())
    .orderBy('posts.id', 'asc')
    .limit(limit)
    .execute()
}

export type FeedMicroRow = Awaited<ReturnType<typeof listVisibleMicro>>[number]

/** The newest visible microblog updates, optionally of one author. */
export function listVisibleMicro(db: Kysely<DB>, opts: { limit: number; authorId?: number }) {
  let q = db
    .selectFrom('micro_posts')
    .innerJoin('users', 'users.id', 'micro_posts.author_id')
    .select(['micro_posts.id', 'micro_posts.body', 'micro_posts.body_html', 'micro_posts.created_at', 'micro_posts.reply_to_id', 'users.username', 'users.display_name'])
    .where('micro_posts.deleted_at', 'is', null)
    .where('micro_posts.hidden_at', 'is', null)
  if (opts.authorId !== undefined) q = q.where('micro_posts.author_id', '=', opts.authorId)
  return q.orderBy('micro_posts.created_at', 'desc').orderBy('micro_posts.id', 'desc').limit(opts.limit).execute()
}

/** A tag's newest visible microblog updates (what its tag page lists). */
export function listTaggedMicro(db: Kysely<DB>, tagId: number, limit: number) {
  return db
    .selectFrom('micro_tags')
    .innerJoin('micro_posts', 'micro_posts.id', 'micro_tags.micro_id')
    .innerJoin('users', 'users.id', 'micro_posts.author_id')
    .select(['micro_posts.id', 'micro_posts.body', 'micro_posts.body_html', 'micro_posts.created_at', 'micro_posts.reply_to_id', 'users.username', 'users.display_name'])
    .where('micro_tags.tag_id', '=', tagId)
    .where('micro_posts.deleted_at', 'is', null)
    .where('micro_posts.hidden_at', 'is', null)
    .orderBy('micro_tags.created_at', 'desc')
    .orderBy('micro_tags.micro_id', 'desc')
    .limit(limit)
    .execute()
}

export type FeedCommentRow = Awaited<ReturnType<typeof listVisibleComments>>[number]

/** The newest visible comments on a post. */
export function listVisibleComments(db: Kysely<DB>, postId: number, limit: number) {
  return db
    .selectFrom('comments')
    .leftJoin('users', 'users.id', 'comments.author_id')
    .select(['comments.id', 'comments.body_html', 'comments.created_at', 'comments.edited_at', 'comments.author_name', 'users.username', 'users.display_name'])
    .where('comments.post_id', '=', postId)
    .where('comments.deleted_at', 'is', null)
    .where('comments.hidden_at', 'is', null)
    .orderBy('comments.id', 'desc')
    .limit(limit)
    .execute()
}

/** Tags the person has published under, most used first (for their OPML file). */
export function listTagsUsedBy(db: Kysely<DB>, userId: number, limit: number) {
  return db
    .selectFrom('post_tags')
    .innerJoin('posts', 'posts.id', 'post_tags.post_id')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['tags.name', (eb) => eb.fn.countAll<number>().as('n')])
    .where('posts.author_id', '=', userId)
    .where('posts.status', '=', 'published')
    .groupBy('tags.name')
    .orderBy('n', 'desc')
    .orderBy('tags.name')
    .limit(limit)
    .execute()
}

// ── Feed keys ────────────────────────────────────────────────────────────────────────────────

const feedKeyOf = compiledOnce((db: Kysely<DB>, userId: number) =>
  db.selectFrom('feed_keys').select(['user_id', 'nonce', 'key_hash']).where('user_id', '=', userId))

/** For the feed links of a person's pages. */
export async function findFeedKey(db: Kysely<DB>, userId: number) {
  return (await feedKeyOf(db, userId))[0]
}

export async function upsertFeedKey(db: Kysely<DB>, row: { userId: number; nonce: string; keyHash: string; now: string }): Promise<void> {
  await db
    .insertInto('feed_keys')
    .values({ user_id: row.userId, nonce: row.nonce, key_hash: row.keyHash, created_at: row.now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ nonce: row.nonce, key_hash: row.keyHash, created_at: row.now }))
    .execute()
}

/** The active account a feed key belongs to. */
export function findActiveUserByFeedKeyHash(db: Kysely<DB>, keyHash: string) {
  return db
    .selectFrom('feed_keys')
    .innerJoin('users', 'users.id', 'feed_keys.user_id')
    .select(['users.id', 'users.username', 'users.is_editor'])
    .where('feed_keys.key_hash', '=', keyHash)
    .where('users.is_active', '=', 1)
    .executeTakeFirst()
}
