// Every query of the WordPress importer. It writes the base tables (users, posts, post_tags, tags,
// comments, uploads) directly, keeping their invariants: post_tags.published_at mirrors
// posts.published_at, tags.post_count and posts.comment_count count published posts and visible
// comments. Each function takes `db` first; inside a transaction pass the transaction.
import type { Insertable, Kysely } from 'kysely'
import type {
  CommentsTable, DB, PostRevisionsTable, PostsTable, UploadsTable, UsersTable, WordpressMapKind, WordpressMapTable,
} from '../db/schema.js'

// SQLite allows 32766 bound values per statement; stay well below.
const CHUNK = 400

function chunks<T>(rows: T[], size = CHUNK): T[][] {
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}

// --- the import map ---

export async function insertMappings(db: Kysely<DB>, rows: Insertable<WordpressMapTable>[]): Promise<void> {
  for (const part of chunks(rows)) {
    await db.insertInto('wordpress_map').values(part).onConflict((oc) => oc.doNothing()).execute()
  }
}

export async function findMappedId(db: Kysely<DB>, source: string, kind: WordpressMapKind, wpKey: string): Promise<number | undefined> {
  const row = await db.selectFrom('wordpress_map').select('target_id')
    .where('source', '=', source).where('kind', '=', kind).where('wp_key', '=', wpKey).executeTakeFirst()
  return row?.target_id
}

/** WordPress post id → our post id, for every post of this source imported before. */
export async function listMappedPosts(db: Kysely<DB>, source: string): Promise<Map<number, number>> {
  const rows = await db.selectFrom('wordpress_map').select(['wp_key', 'target_id'])
    .where('source', '=', source).where('kind', '=', 'post').execute()
  return new Map(rows.map((r) => [Number(r.wp_key), r.target_id]))
}

/** WordPress comment id → our comment id, for the imported comments of one post. */
export async function listMappedComments(db: Kysely<DB>, source: string, postId: number): Promise<Map<number, number>> {
  // Written as IN (subquery) so SQLite starts from the post's comments, not from every mapped comment.
  const rows = await db.selectFrom('wordpress_map')
    .select(['wp_key', 'target_id'])
    .where('kind', '=', 'comment').where('source', '=', source)
    .where('target_id', 'in', (eb) => eb.selectFrom('comments').select('id').where('post_id', '=', postId))
    .execute()
  return new Map(rows.map((r) => [Number(r.wp_key), r.target_id]))
}

/** An image imported before from this old-site path (the upload row must still exist). */
export function findMappedUpload(db: Kysely<DB>, source: string, uploadPath: string) {
  return db.selectFrom('wordpress_map as m')
    .innerJoin('uploads', 'uploads.id', 'm.target_id')
    .select(['uploads.id', 'uploads.path'])
    .where('m.source', '=', source).where('m.kind', '=', 'upload').where('m.wp_key', '=', uploadPath)
    .executeTakeFirst()
}

// --- users ---

export function findUserIdByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').select(['id', 'username']).where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export function findUserByUsername(db: Kysely<DB>, username: string) {
  return db.selectFrom('users').select(['id', 'username', 'email']).where('username', '=', username).executeTakeFirst()
}

export async function userExists(db: Kysely<DB>, id: number): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

export async function insertUser(db: Kysely<DB>, row: Insertable<UsersTable>): Promise<number> {
  return (await db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow()).id
}

// --- posts, tags, comments, uploads ---

/** True when a post has this slug now or had it before (old slugs keep redirecting). */
export async function slugTaken(db: Kysely<DB>, slug: string): Promise<boolean> {
  const now = await db.selectFrom('posts').select('id').where('slug', '=', slug).executeTakeFirst()
  if (now) return true
  return (await db.selectFrom('post_slugs').select('post_id').where('slug', '=', slug).executeTakeFirst()) !== undefined
}

export async function insertPost(db: Kysely<DB>, row: Insertable<PostsTable>): Promise<number> {
  return (await db.insertInto('posts').values(row).returning('id').executeTakeFirstOrThrow()).id
}

/** The imported content as the post's first revision, which its history and later reviews start from. */
export async function insertRevision(db: Kysely<DB>, row: Insertable<PostRevisionsTable>): Promise<number> {
  return (await db.insertInto('post_revisions').values(row).returning('id').executeTakeFirstOrThrow()).id
}

export async function setPostRevision(db: Kysely<DB>, postId: number, revisionId: number, published: boolean): Promise<void> {
  await db.updateTable('posts')
    .set({ revision_id: revisionId, published_revision_id: published ? revisionId : null })
    .where('id', '=', postId).execute()
}

export async function findTagId(db: Kysely<DB>, name: string): Promise<number | undefined> {
  return (await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirst())?.id
}

export async function insertTag(db: Kysely<DB>, name: string): Promise<number> {
  return (await db.insertInto('tags').values({ name }).returning('id').executeTakeFirstOrThrow()).id
}

export async function insertPostTags(db: Kysely<DB>, postId: number, tagIds: number[], publishedAt: string | null): Promise<void> {
  if (!tagIds.length) return
  await db.insertInto('post_tags').values(tagIds.map((tagId) => ({ post_id: postId, tag_id: tagId, published_at: publishedAt }))).execute()
}

export async function incrementTagPostCounts(db: Kysely<DB>, tagIds: number[]): Promise<void> {
  if (!tagIds.length) return
  await db.updateTable('tags').set((eb) => ({ post_count: eb('post_count', '+', 1) })).where('id', 'in', tagIds).execute()
}

/** Inserts comments in the given order; returns their new ids in that order. */
export async function insertComments(db: Kysely<DB>, rows: Insertable<CommentsTable>[]): Promise<number[]> {
  const ids: number[] = []
  for (const part of chunks(rows, 100)) {
    // One statement inserts its rows in VALUES order, so sorting the new ids gives that order back.
    const inserted = await db.insertInto('comments').values(part).returning('id').execute()
    ids.push(...inserted.map((r) => r.id).sort((a, b) => a - b))
  }
  return ids
}

export async function addToCommentCount(db: Kysely<DB>, postId: number, n: number): Promise<void> {
  await db.updateTable('posts').set((eb) => ({ comment_count: eb('comment_count', '+', n) })).where('id', '=', postId).execute()
}

export async function insertUpload(db: Kysely<DB>, row: Insertable<UploadsTable>): Promise<number> {
  return (await db.insertInto('uploads').values(row).returning('id').executeTakeFirstOrThrow()).id
}
