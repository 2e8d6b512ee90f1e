// SQL of the statistics: the daily counters (adding to them, reading them over a period) and the
// counts of contributions, editorial decisions and tags. Periods are whole days, from ≤ day ≤ to;
// timestamps are compared as ISO text between the period's first and last instant (UTC).
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export async function findPublishedIdsBySlug(db: Kysely<DB>, slugs: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>()
  for (let i = 0; i < slugs.length; i += 500) {
    const rows = await db.selectFrom('posts').select(['id', 'slug']).where('slug', 'in', slugs.slice(i, i + 500)).where('status', '=', 'published').execute()
    for (const r of rows) out.set(r.slug, r.id)
  }
  return out
}

export async function addPageViews(db: Kysely<DB>, rows: { day: string; kind: string; views: number }[]): Promise<void> {
  if (!rows.length) return
  await db.insertInto('stats_page_views').values(rows)
    .onConflict((oc) => oc.columns(['day', 'kind']).doUpdateSet({ views: sql`stats_page_views.views + excluded.views` })).execute()
}

export async function addPostViews(db: Kysely<DB>, rows: { day: string; post_id: number; views: number }[]): Promise<void> {
  if (!rows.length) return
  await db.insertInto('stats_post_views').values(rows)
    .onConflict((oc) => oc.columns(['day', 'post_id']).doUpdateSet({ views: sql`stats_post_views.views + excluded.views` })).execute()
}

export async function addReaders(db: Kysely<DB>, rows: { day: string; readers: number }[]): Promise<void> {
  if (!rows.length) return
  await db.insertInto('stats_readers').values(rows)
    .onConflict((oc) => oc.column('day').doUpdateSet({ readers: sql`stats_readers.readers + excluded.readers` })).execute()
}

export function listDailyViews(db: Kysely<DB>, from: string, to: string) {
  return db.selectFrom('stats_page_views').select(['day', (eb) => eb.fn.sum<number>('views').as('views')])
    .where('day', '>=', from).where('day', '<=', to).groupBy('day').orderBy('day').execute()
}

export function listDailyReaders(db: Kysely<DB>, from: string, to: string) {
  return db.selectFrom('stats_readers').select(['day', 'readers']).where('day', '>=', from).where('day', '<=', to).orderBy('day').execute()
}

export function listViewsByKind(db: Kysely<DB>, from: string, to: string) {
  return db.selectFrom('stats_page_views').select(['kind', (eb) => eb.fn.sum<number>('views').as('views')])
    .where('day', '>=', from).where('day', '<=', to).groupBy('kind').orderBy('views', 'desc').execute()
}

export function listTopPosts(db: Kysely<DB>, from: string, to: string, limit: number) {
  return db.selectFrom('stats_post_views as v').innerJoin('posts as p', 'p.id', 'v.post_id')
    .select(['p.id', 'p.title', 'p.slug', (eb) => eb.fn.sum<number>('v.views').as('views')])
    .where('v.day', '>=', from).where('v.day', '<=', to).groupBy(['p.id', 'p.title', 'p.slug'])
    .orderBy('views', 'desc').orderBy('p.id').limit(limit).execute()
}

export function listPostDailyViews(db: Kysely<DB>, postId: number, from: string, to: string) {
  return db.selectFrom('stats_post_views').select(['day', 'views']).where('post_id', '=', postId)
    .where('day', '>=', from).where('day', '<=', to).orderBy('day').execute()
}

const month = (col: string) => sql<string>`substr(${sql.ref(col)}, 1, 7)`

/** Per month (YYYY-MM, UTC): posts first published, microblog updates and comments written. */
export async function listContributions(db: Kysely<DB>, fromIso: string, toIso: string) {
  const [posts, updates, comments] = await Promise.all([
    db.selectFrom('posts').select([month('published_at').as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('published_at', '>=', fromIso).where('published_at', '<', toIso).where('status', '=', 'published').groupBy(month('published_at')).execute(),
    db.selectFrom('micro_posts').select([month('created_at').as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', fromIso).where('created_at', '<', toIso).groupBy(month('created_at')).execute(),
    db.selectFrom('comments').select([month('created_at').as('month'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('created_at', '>=', fromIso).where('created_at', '<', toIso).groupBy(month('created_at')).execute(),
  ])
  return { posts, updates, comments }
}

/** Per month: how many people wrote a post, an update or a comment. */
export function listActiveContributors(db: Kysely<DB>, fromIso: string, toIso: string) {
  const posts = db.selectFrom('posts').select([month('published_at').as('month'), 'author_id'])
    .where('published_at', '>=', fromIso).where('published_at', '<', toIso).where('status', '=', 'published')
  const updates = db.selectFrom('micro_posts').select([month('created_at').as('month'), 'author_id'])
    .where('created_at', '>=', fromIso).where('created_at', '<', toIso)
  const comments = db.selectFrom('comments').select([month('created_at').as('month'), (eb) => eb.ref('author_id').$notNull().as('author_id')])
    .where('created_at', '>=', fromIso).where('created_at', '<', toIso).where('author_id', 'is not', null)
  return db.selectFrom(posts.union(updates).union(comments).as('c'))
    .select(['c.month', (eb) => eb.fn.count<number>('c.author_id').distinct().as('n')]).groupBy('c.month').orderBy('c.month').execute()
}

const DECISIONS = ['post.publish', 'post.schedule', 'post.request-changes', 'post.reject', 'post.approve']

/** Editors' decisions in the period (not the scheduler's publishing), with the post they were about. */
export function listDecisions(db: Kysely<DB>, fromIso: string, toIso: string) {
  return db.selectFrom('audit_events').select(['subject_id', 'at']).where('subject_type', '=', 'post')
    .where('action', 'in', DECISIONS).where('actor_id', 'is not', null).where('at', '>=', fromIso).where('at', '<', toIso)
    .orderBy('id').limit(10_000).execute()
}

/** Submissions of these posts up to `toIso`. */
export async function listSubmissions(db: Kysely<DB>, postIds: number[], toIso: string) {
  const out: { subject_id: number; at: string }[] = []
  for (let i = 0; i < postIds.length; i += 500) {
    out.push(...await db.selectFrom('audit_events').select(['subject_id', 'at']).where('subject_type', '=', 'post').where('action', '=', 'post.submit')
      .where('subject_id', 'in', postIds.slice(i, i + 500)).where('at', '<', toIso).orderBy('id').execute())
  }
  return out
}

/** Tags of the posts first published in the period, most used first. */
export function listTopTags(db: Kysely<DB>, fromIso: string, toIso: string, limit: number) {
  return db.selectFrom('post_tags as pt').innerJoin('tags as t', 't.id', 'pt.tag_id')
    .select(['t.name', (eb) => eb.fn.countAll<number>().as('posts')])
    .where('pt.published_at', '>=', fromIso).where('pt.published_at', '<', toIso)
    .groupBy('t.name').orderBy('posts', 'desc').orderBy('t.name').limit(limit).execute()
}

export async function insertSummaryMark(db: Kysely<DB>, month: string, at: string): Promise<boolean> {
  const r = await db.insertInto('stats_summaries').values({ month, sent_at: at }).onConflict((oc) => oc.column('month').doNothing()).executeTakeFirst()
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
}

export async function countViewsBetween(db: Kysely<DB>, from: string, to: string): Promise<number> {
  const r = await db.selectFrom('stats_page_views').select((eb) => eb.fn.sum<number>('views').as('n')).where('day', '>=', from).where('day', '<=', to).executeTakeFirst()
  return Number(r?.n ?? 0)
}
