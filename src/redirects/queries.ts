// Lookups for old-URL redirects: the importer's map (wordpress_map) joined to what it points at now,
// so a renamed slug or tag still resolves. Only published posts are redirect targets: a redirect must
// not reveal that an unpublished post exists.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export async function findPostSlugByWpId(db: Kysely<DB>, wpId: number): Promise<string | undefined> {
  const row = await db.selectFrom('wordpress_map as m')
    .innerJoin('posts', 'posts.id', 'm.target_id')
    .select('posts.slug')
    .where('m.kind', '=', 'post').where('m.wp_id', '=', wpId).where('posts.status', '=', 'published')
    .orderBy('m.imported_at').limit(1)
    .executeTakeFirst()
  return row?.slug
}

/** A WordPress post_name (decoded) → our slug; with several sites' posts, the one from that month first. */
export async function findPostSlugByWpSlug(db: Kysely<DB>, wpSlug: string, yearMonth?: string): Promise<string | undefined> {
  const rows = await db.selectFrom('wordpress_map as m')
    .innerJoin('posts', 'posts.id', 'm.target_id')
    .select(['posts.slug', 'posts.published_at'])
    .where('m.kind', '=', 'post').where('m.wp_slug', '=', wpSlug).where('posts.status', '=', 'published')
    .orderBy('m.imported_at').limit(10)
    .execute()
  return (rows.find((r) => yearMonth && r.published_at?.startsWith(yearMonth)) ?? rows[0])?.slug
}

export async function findPublishedSlug(db: Kysely<DB>, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('posts').select('slug').where('slug', '=', slug).where('status', '=', 'published').executeTakeFirst()
  return row?.slug
}

/** A category or tag (by 'taxonomy:slug' key, or by WordPress term id) → our tag's name. */
export async function findTagNameByTerm(db: Kysely<DB>, by: { key: string } | { wpId: number }): Promise<string | undefined> {
  let q = db.selectFrom('wordpress_map as m')
    .innerJoin('tags', 'tags.id', 'm.target_id')
    .select('tags.name')
    .where('m.kind', '=', 'term')
  q = 'key' in by ? q.where('m.wp_key', '=', by.key) : q.where('m.wp_id', '=', by.wpId)
  return (await q.orderBy('m.imported_at').limit(1).executeTakeFirst())?.name
}

export async function tagExists(db: Kysely<DB>, name: string): Promise<boolean> {
  return (await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirst()) !== undefined
}

/** An author (by login or nicename, or by WordPress user id) → our username. */
export async function findUsernameByAuthor(db: Kysely<DB>, by: { name: string } | { wpId: number }): Promise<string | undefined> {
  let q = db.selectFrom('wordpress_map as m')
    .innerJoin('users', 'users.id', 'm.target_id')
    .select('users.username')
    .where('m.kind', '=', 'user')
  q = 'name' in by
    ? q.where((eb) => eb.or([eb('m.wp_slug', '=', by.name), eb('m.wp_key', '=', by.name.toLowerCase())]))
    : q.where('m.wp_id', '=', by.wpId)
  return (await q.orderBy('m.imported_at').limit(1).executeTakeFirst())?.username
}

export async function usernameExists(db: Kysely<DB>, username: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()) !== undefined
}

/** An old-site file path, or a WordPress attachment id → the stored path of our copy. */
export async function findUploadPath(db: Kysely<DB>, by: { path: string } | { attachmentId: number }): Promise<string | undefined> {
  const q = db.selectFrom('wordpress_map as m')
    .innerJoin('uploads', 'uploads.id', 'm.target_id')
    .select('uploads.path')
  const row = await ('path' in by
    ? q.where('m.kind', '=', 'upload').where('m.wp_key', '=', by.path)
    : q.where('m.kind', '=', 'attachment').where('m.wp_id', '=', by.attachmentId)
  ).orderBy('m.imported_at').limit(1).executeTakeFirst()
  return row?.path
}

/**
 * What an old URL (by oldUrlKey) became: a published post's slug, or the stored path of an image's copy.
 * Several old sites may share a path; the earliest import wins.
 */
export async function findTargetByOldUrl(db: Kysely<DB>, key: string): Promise<{ slug: string } | { path: string } | undefined> {
  const rows = await db.selectFrom('wordpress_map as m')
    .leftJoin('posts', (j) => j.onRef('posts.id', '=', 'm.target_id').on('m.wp_type', '!=', 'attachment').on('posts.status', '=', 'published'))
    .leftJoin('uploads', (j) => j.onRef('uploads.id', '=', 'm.target_id').on('m.wp_type', '=', 'attachment'))
    .select(['posts.slug', 'uploads.path'])
    .where('m.kind', '=', 'url').where('m.wp_key', '=', key)
    .orderBy('m.imported_at').limit(10)
    .execute()
  for (const r of rows) {
    if (r.slug) return { slug: r.slug }
    if (r.path) return { path: r.path }
  }
  return undefined
}
