// What the archive extract reads: posts first published in a period, the revisions that were
// published, their visible comments and the editorial decisions on them.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export function listPostsPublishedBetween(db: Kysely<DB>, fromIso: string, toIso: string) {
  return db
    .selectFrom('posts as p')
    .innerJoin('users as u', 'u.id', 'p.author_id')
    .select(['p.id', 'p.slug', 'p.title', 'p.lead', 'p.status', 'p.published_at', 'p.created_at', 'p.updated_at', 'u.display_name as author_name'])
    .where('p.published_at', 'is not', null)
    .where('p.published_at', '>=', fromIso)
    .where('p.published_at', '<', toIso)
    .orderBy('p.published_at')
    .orderBy('p.id')
    .execute()
}

export function listRevisionsOf(db: Kysely<DB>, postId: number) {
  return db
    .selectFrom('post_revisions as r')
    .innerJoin('users as u', 'u.id', 'r.author_id')
    .select(['r.id', 'r.title', 'r.lead', 'r.body_html', 'r.tags', 'r.content_hash', 'r.created_at', 'u.display_name as author_name'])
    .where('r.post_id', '=', postId)
    .orderBy('r.id')
    .execute()
}

export function listVisibleCommentsOf(db: Kysely<DB>, postId: number) {
  return db
    .selectFrom('comments as c')
    .leftJoin('users as u', 'u.id', 'c.author_id')
    .select(['c.id', 'c.parent_id', 'c.body_html', 'c.created_at', 'c.edited_at', 'c.author_name', 'u.display_name'])
    .where('c.post_id', '=', postId)
    .where('c.deleted_at', 'is', null)
    .where('c.hidden_at', 'is', null)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .execute()
}

/** The post's audit entries up to the end of the period, oldest first. */
export function listPostEvents(db: Kysely<DB>, postId: number, toIso: string) {
  return db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_name', 'u.display_name', 'a.action', 'a.from_state', 'a.to_state', 'a.note', 'a.content_hash'])
    .where('a.subject_type', '=', 'post')
    .where('a.subject_id', '=', postId)
    .where('a.at', '<', toIso)
    .orderBy('a.id')
    .execute()
}

export type ArchivePost = Awaited<ReturnType<typeof listPostsPublishedBetween>>[number]
export type ArchiveRevision = Awaited<ReturnType<typeof listRevisionsOf>>[number]
export type ArchiveComment = Awaited<ReturnType<typeof listVisibleCommentsOf>>[number]
export type ArchiveEvent = Awaited<ReturnType<typeof listPostEvents>>[number]

export function listRecentExtracts(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_name', 'u.display_name', 'a.note', 'a.content_hash'])
    .where('a.action', '=', 'archive.extract')
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute()
}
