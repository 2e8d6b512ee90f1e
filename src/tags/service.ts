// Keeping a post's tags and the counts in step. Call inside the transaction that changes the post.
// Invariant: post_tags.published_at equals posts.published_at while the post is published (else null),
// and tags.post_count is the number of published posts carrying the tag.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import {
  addToPostCount, deletePostTags, ensureTags, insertPostTags, listPostTagRows, setPostTagsPublishedAt,
} from './queries.js'

/**
 * Gives the post exactly the tags `names`. `publishedAt` is the post's publication time when it is
 * published now (after this change), else null.
 */
export async function syncPostTags(db: Kysely<DB>, postId: number, names: string[], publishedAt: string | null): Promise<void> {
  const ids = await ensureTags(db, names)
  const wanted = new Set(ids.values())
  const current = await listPostTagRows(db, postId)
  const has = new Set(current.map((r) => r.tag_id))

  const removed = current.filter((r) => !wanted.has(r.tag_id))
  await deletePostTags(db, postId, removed.map((r) => r.tag_id))
  await addToPostCount(db, removed.filter((r) => r.published_at !== null).map((r) => r.tag_id), -1)

  const added = [...wanted].filter((id) => !has.has(id))
  await insertPostTags(db, postId, added, publishedAt)
  if (publishedAt) await addToPostCount(db, added, 1)

  const kept = current.filter((r) => wanted.has(r.tag_id))
  const changed = kept.filter((r) => r.published_at !== publishedAt)
  await setPostTagsPublishedAt(db, postId, changed.map((r) => r.tag_id), publishedAt)
  await addToPostCount(db, changed.filter((r) => r.published_at === null).map((r) => r.tag_id), 1) // now published
  await addToPostCount(db, changed.filter((r) => r.published_at !== null && publishedAt === null).map((r) => r.tag_id), -1)
}

export async function tagNamesOfPost(db: Kysely<DB>, postId: number): Promise<string[]> {
  return (await listPostTagRows(db, postId)).map((r) => r.name)
}
