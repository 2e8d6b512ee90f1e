// Tags: names, the tags of posts (with the published_at copy that makes an archive one index range),
// the counts the tag index shows, and the archives' lists.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce, compiledPages } from '../db/compiled.js'
import type { Cursor } from '../posts/cursor.js'

export async function findTagByName(db: Kysely<DB>, name: string) {
  return (await tagByName(db, name))[0]
}

const tagByName = compiledOnce((db: Kysely<DB>, name: string) => db.selectFrom('tags').selectAll().where('name', '=', name))

/** Ids of the named tags, creating the missing ones. */
export async function ensureTags(db: Kysely<DB>, names: string[]): Promise<Map<string, number>> {
  if (!names.length) return new Map()
  await db.insertInto('tags').values(names.map((name) => ({ name }))).onConflict((oc) => oc.column('name').doNothing()).execute()
  const rows = await db.selectFrom('tags').select(['id', 'name']).where('name', 'in', names).execute()
  return new Map(rows.map((r) => [r.name, r.id]))
}

export const listPostTagRows = compiledOnce((db: Kysely<DB>, postId: number) => db
  .selectFrom('post_tags')
  .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
  .select(['post_tags.tag_id', 'post_tags.published_at', 'tags.name'])
  .where('post_tags.post_id', '=', postId)
  .orderBy('tags.name'))

/** Tag names per post, for a page of posts. */
export async function listTagNamesOfPosts(db: Kysely<DB>, postIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>()
  if (!postIds.length) return map
  for (const r of await tagNamesOf(db, ...postIds)) map.set(r.post_id, [...(map.get(r.post_id) ?? []), r.name])
  return map
}

const tagNamesOf = compiledOnce((db: Kysely<DB>, ...postIds: number[]) => db
  .selectFrom('post_tags')
  .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
  .select(['post_tags.post_id', 'tags.name'])
  .where('post_tags.post_id', 'in', postIds)
  .orderBy('tags.name'))

const tagNamesOfMicros = compiledOnce((db: Kysely<DB>, ...microIds: number[]) => db
  .selectFrom('micro_tags')
  .innerJoin('tags', 'tags.id', 'micro_tags.tag_id')
  .select(['micro_tags.micro_id', 'tags.name'])
  .where('micro_tags.micro_id', 'in', microIds)
  .orderBy('tags.name'))

/** Tag names per microblog update, for a page of updates. */
export async function listTagNamesOfMicros(db: Kysely<DB>, microIds: number[]): Promise<Map<number, string[]>> {
  const map = new Map<number, string[]>()
  if (!microIds.length) return map
  const rows = await tagNamesOfMicros(db, ...microIds)
  for (const r of rows) map.set(r.micro_id, [...(map.get(r.micro_id) ?? []), r.name])
  return map
}

export async function insertPostTags(db: Kysely<DB>, postId: number, tagIds: number[], publishedAt: string | null) {
  if (!tagIds.length) return
  await db.insertInto('post_tags').values(tagIds.map((tag_id) => ({ post_id: postId, tag_id, published_at: publishedAt }))).execute()
}

export async function deletePostTags(db: Kysely<DB>, postId: number, tagIds: number[]) {
  if (!tagIds.length) return
  await db.deleteFrom('post_tags').where('post_id', '=', postId).where('tag_id', 'in', tagIds).execute()
}

export async function setPostTagsPublishedAt(db: Kysely<DB>, postId: number, tagIds: number[], publishedAt: string | null) {
  if (!tagIds.length) return
  await db.updateTable('post_tags').set({ published_at: publishedAt }).where('post_id', '=', postId).where('tag_id', 'in', tagIds).execute()
}

export async function addToPostCount(db: Kysely<DB>, tagIds: number[], delta: number) {
  if (!tagIds.length || delta === 0) return
  await db.updateTable('tags').set((eb) => ({ post_count: eb('post_count', '+', delta) })).where('id', 'in', tagIds).execute()
}

/** A tag's published posts, newest first. */
export function listTagPosts(db: Kysely<DB>, tagId: number, before: Cursor | undefined, limit: number) {
  return tagPosts(db, before, tagId, limit + 1)
}

const tagPosts = compiledPages((db: Kysely<DB>, before: Cursor | undefined, tagId: number, limit: number) => {
  const q = db
    .selectFrom('post_tags')
    .innerJoin('posts', 'posts.id', 'post_tags.post_id')
    .innerJoin('users', 'users.id', 'posts.author_id')
    .select([
      'posts.id', 'posts.slug', 'posts.title', 'posts.summary', 'posts.status', 'posts.published_at', 'posts.comment_count',
      'posts.pinned_at', 'posts.author_id', 'users.username as author_username', 'users.display_name as author_name',
      'posts.cover_upload_id', 'users.avatar_path as author_avatar',
    ])
    .where('post_tags.tag_id', '=', tagId)
    .where('post_tags.published_at', 'is not', null)
    .orderBy('post_tags.published_at', 'desc')
    .orderBy('post_tags.post_id', 'desc')
    .limit(limit)
  return before ? q.where((eb) => eb(eb.refTuple('post_tags.published_at', 'post_tags.post_id'), '<', eb.tuple(before.at, before.id))) : q
})

/** A tag's visible microblog updates, newest first; body_html is the microblog's own safe HTML. */
export function listTagMicros(db: Kysely<DB>, tagId: number, before: Cursor | undefined, limit: number) {
  return tagMicros(db, before, tagId, limit + 1)
}

const tagMicros = compiledPages((db: Kysely<DB>, before: Cursor | undefined, tagId: number, limit: number) => {
  const q = db
    .selectFrom('micro_tags')
    .innerJoin('micro_posts', 'micro_posts.id', 'micro_tags.micro_id')
    .innerJoin('users', 'users.id', 'micro_posts.author_id')
    .select(['micro_posts.id', 'micro_posts.body_html', 'micro_posts.created_at', 'micro_tags.created_at as tagged_at', 'users.username as author_username', 'users.display_name as author_name'])
    .where('micro_tags.tag_id', '=', tagId)
    .where('micro_posts.deleted_at', 'is', null)
    .where('micro_posts.hidden_at', 'is', null)
    .orderBy('micro_tags.created_at', 'desc')
    .orderBy('micro_tags.micro_id', 'desc')
    .limit(limit)
  return before ? q.where((eb) => eb(eb.refTuple('micro_tags.created_at', 'micro_tags.micro_id'), '<', eb.tuple(before.at, before.id))) : q
})

/** Tags in use, alphabetically after `after`. */
export function listTagIndex(db: Kysely<DB>, after: string | undefined, limit: number) {
  let q = db
    .selectFrom('tags')
    .select(['id', 'name', 'post_count', 'micro_count'])
    .where((eb) => eb.or([eb('post_count', '>', 0), eb('micro_count', '>', 0)]))
    .orderBy('name')
    .limit(limit + 1)
  if (after) q = q.where('name', '>', after)
  return q.execute()
}
