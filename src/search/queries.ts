// Every query of the search feature. The FTS5 statements are SQLite-only and live here, behind
// functions (an index per kind, search_index_post, _micro and _comment: migrations 0020, 0231, 0243;
// the triggers that queue documents are 0020's); on PostgreSQL each of them hands over to its twin in
// index-postgres.ts (tsvector, same signatures). Reads the content tables of posts, microblog and
// comments; writes only the indexes and search_pending.
import { type Kysely, sql } from 'kysely'
import type { DB } from '../db/schema.js'
import { isPostgres } from '../db/dialect.js'
import * as pg from './index-postgres.js'
import { compiledOnce } from '../db/compiled.js'
import { readCompiled, readCompiledColumn } from '../db/direct-read.js'

export type SearchKind = 'post' | 'micro' | 'comment'
export const SEARCH_KINDS: readonly SearchKind[] = ['post', 'micro', 'comment']
const KIND_CODE: Record<SearchKind, number> = { post: 1, micro: 2, comment: 3 }
/** Each kind has its own block of rowids (see the migration): doc = kind * BLOCK + id. */
const BLOCK = 1_000_000_000_000

export function docOf(kind: SearchKind, id: number): number {
  return KIND_CODE[kind] * BLOCK + id
}

export function kindOfDoc(doc: number): SearchKind | undefined {
  return SEARCH_KINDS[Math.floor(doc / BLOCK) - 1]
}

export function idOfDoc(doc: number): number {
  return doc % BLOCK
}

const firstDoc = (kind: SearchKind) => KIND_CODE[kind] * BLOCK
const lastDoc = (kind: SearchKind) => (KIND_CODE[kind] + 1) * BLOCK - 1

/** A kind's FTS5 index (SQLite). FTS5 walks a word's list to honour a rowid range: one list per kind. */
const indexOf = (kind: SearchKind) => sql.table(`search_index_${kind}`)

/** The documents grouped by kind, in the order of SEARCH_KINDS. */
function byKind<T>(items: T[], doc: (item: T) => number): [SearchKind, T[]][] {
  return SEARCH_KINDS.map((kind) => [kind, items.filter((item) => kindOfDoc(doc(item)) === kind)] as [SearchKind, T[]]).filter(([, group]) => group.length)
}

// ── The queue ────────────────────────────────────────────────────────────────────────────────

/** Asked before every search. */
export async function hasPendingDocs(db: Kysely<DB>): Promise<boolean> {
  return (await anyPending(db)).length > 0
}

const anyPending = compiledOnce((db: Kysely<DB>) => db.selectFrom('search_pending').select('doc').limit(1))

export async function listPendingDocs(db: Kysely<DB>, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('search_pending').select('doc').orderBy('doc').limit(limit).execute()
  return rows.map((r) => r.doc)
}

export async function deletePendingDocs(db: Kysely<DB>, docs: number[]): Promise<void> {
  if (docs.length) await db.deleteFrom('search_pending').where('doc', 'in', docs).execute()
}

/** Queues every visible item for re-indexing (after a change of the text rules). */
export async function queueAllDocs(db: Kysely<DB>): Promise<void> {
  if (isPostgres(db)) return pg.queueAllDocs(db, BLOCK)
  await sql`insert or ignore into search_pending(doc)
    select ${docOf('post', 0)} + id from posts where status = 'published'
    union all select ${docOf('micro', 0)} + id from micro_posts where deleted_at is null and hidden_at is null
    union all select ${docOf('comment', 0)} + id from comments where deleted_at is null and hidden_at is null`.execute(db)
  // Documents no longer visible are removed when re-indexed; queue everything indexed as well.
  for (const kind of SEARCH_KINDS) await sql`insert or ignore into search_pending(doc) select rowid from ${indexOf(kind)}`.execute(db)
}

// ── Source rows, visible ones only ───────────────────────────────────────────────────────────

export function listIndexablePosts(db: Kysely<DB>, ids: number[]) {
  return db
    .selectFrom('posts')
    .select(['id', 'title', 'lead', 'body_html'])
    .where('id', 'in', ids)
    .where('status', '=', 'published')
    .execute()
}

export function listIndexableMicro(db: Kysely<DB>, ids: number[]) {
  return db
    .selectFrom('micro_posts')
    .select(['id', 'body'])
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .execute()
}

export function listIndexableComments(db: Kysely<DB>, ids: number[]) {
  return db
    .selectFrom('comments')
    .innerJoin('posts', 'posts.id', 'comments.post_id')
    .select(['comments.id', 'comments.post_id', 'comments.body_html'])
    .where('comments.id', 'in', ids)
    .where('comments.deleted_at', 'is', null)
    .where('comments.hidden_at', 'is', null)
    .where('posts.status', '=', 'published')
    .execute()
}

export function listPostTags(db: Kysely<DB>, postIds: number[]) {
  return db
    .selectFrom('post_tags')
    .innerJoin('tags', 'tags.id', 'post_tags.tag_id')
    .select(['post_tags.post_id as owner', 'tags.id', 'tags.name'])
    .where('post_tags.post_id', 'in', postIds)
    .orderBy('tags.name')
    .execute()
}

export function listMicroTags(db: Kysely<DB>, microIds: number[]) {
  return db
    .selectFrom('micro_tags')
    .innerJoin('tags', 'tags.id', 'micro_tags.tag_id')
    .select(['micro_tags.micro_id as owner', 'tags.id', 'tags.name'])
    .where('micro_tags.micro_id', 'in', microIds)
    .orderBy('tags.name')
    .execute()
}

// ── The index ────────────────────────────────────────────────────────────────────────────────

export interface IndexRow {
  doc: number
  title: string
  lead: string
  body: string
  tags: string
  facets: string
}

export async function deleteIndexDocs(db: Kysely<DB>, docs: number[]): Promise<void> {
  if (!docs.length) return
  if (isPostgres(db)) return pg.deleteIndexDocs(db, docs)
  for (const [kind, group] of byKind(docs, (d) => d)) await sql`delete from ${indexOf(kind)} where rowid in (${sql.join(group)})`.execute(db)
}

export async function insertIndexRows(db: Kysely<DB>, rows: IndexRow[]): Promise<void> {
  if (isPostgres(db)) return pg.insertIndexRows(db, rows)
  for (const [kind, group] of byKind(rows, (r) => r.doc)) {
    for (let i = 0; i < group.length; i += 200) {
      const values = group.slice(i, i + 200).map((r) => sql`(${r.doc}, ${r.title}, ${r.lead}, ${r.body}, ${r.tags}, ${r.facets})`)
      await sql`insert into ${indexOf(kind)}(rowid, title, lead, body, tags, facets) values ${sql.join(values)}`.execute(db)
    }
  }
}

/** Weights of the index's columns, in their order: title matches count most. bm25 uses them, and so does the cheap order (service.ts). */
export const COLUMN_WEIGHTS = { title: 8, lead: 3, body: 1, tags: 4, facets: 0 } as const
const WEIGHTS = sql.raw(Object.values(COLUMN_WEIGHTS).map((w) => w.toFixed(1)).join(', '))
const NOT_QUEUED = sql`rowid not in (select doc from search_pending)`
const range = (kind: SearchKind, from = firstDoc(kind)) => ({ kindCode: KIND_CODE[kind], from: Math.max(from, firstDoc(kind)), to: lastDoc(kind) })

/**
 * A kind's newest `n` matching documents, newest first: documents are numbered in the order they
 * were written, and FTS5 walks a word's list from the top and stops after `n`, so a word in half the
 * documents costs no more than a rarer one. Queued documents are left out.
 */
export async function listNewestDocs(db: Kysely<DB>, match: string, kind: SearchKind, n: number): Promise<number[]> {
  if (isPostgres(db)) return pg.listNewestDocs(db, match, range(kind), n)
  const index = indexOf(kind)
  return readCompiledColumn(db, sql<{ doc: number }>`select rowid as doc from ${index}
    where ${index} match ${match} and ${NOT_QUEUED} order by rowid desc limit ${n}`.compile(db))
}

/**
 * Whether each expression matches at most `cap` documents of all kinds (queued ones included). Only
 * SQLite's ranking asks (see rankDocs); PostgreSQL answers true. One statement per expression, and
 * none after the first that matches more: a common word is counted to `cap` + 1 in all, the kinds
 * one after another under one LIMIT, not each kind to its own.
 */
export async function allWithin(db: Kysely<DB>, matches: string[], cap: number): Promise<boolean> {
  if (isPostgres(db)) return true
  for (const m of matches) {
    const arms = SEARCH_KINDS.map((kind) => sql`select 1 from ${indexOf(kind)} where ${indexOf(kind)} match ${m}`)
    const rows = await readCompiled(db, sql<{ n: number }>`select count(*) as n from (${sql.join(arms, sql` union all `)} limit ${cap + 1})`.compile(db))
    if (Number(rows[0]?.n ?? 0) > cap) return false
  }
  return true
}

/**
 * A kind's matches from rowid `from` up, best first: bm25 on SQLite, ts_rank on PostgreSQL. FTS5's
 * bm25 first counts every document of every term in the whole index (how rare each term is), so the
 * caller uses it only when all terms are rare (allWithin); the window from `from` bounds the rest.
 */
export async function rankDocs(db: Kysely<DB>, match: string, kind: SearchKind, from: number, limit: number, offset: number): Promise<number[]> {
  if (isPostgres(db)) return pg.rankDocs(db, match, range(kind, from), limit, offset)
  const index = indexOf(kind)
  return readCompiledColumn(db, sql<{ doc: number; score: number }>`
    select rowid as doc, bm25(${index}, ${WEIGHTS}) as score from ${index}
    where ${index} match ${match} and rowid >= ${from} and ${NOT_QUEUED}
    order by score, rowid desc limit ${limit} offset ${offset}`.compile(db))
}

/** A kind's documents from rowid `from` up that match `match` (the same terms in one column: the cheap order). */
export async function listMatchingDocs(db: Kysely<DB>, match: string, kind: SearchKind, from: number): Promise<number[]> {
  if (isPostgres(db)) return pg.listNewestDocs(db, match, range(kind, from), 1_000_000)
  const index = indexOf(kind)
  return readCompiledColumn(db, sql<{ doc: number }>`select rowid as doc from ${index} where ${index} match ${match} and rowid >= ${from}`.compile(db))
}

/**
 * The indexed text of some documents (index encoding: see text.ts fromIndexText): what a search shows
 * of them, and what re-indexing takes out of the index (change-log.ts).
 */
export async function listDocTexts(db: Kysely<DB>, docs: number[]): Promise<Omit<IndexRow, 'facets'>[]> {
  if (!docs.length) return []
  if (isPostgres(db)) return pg.listDocTexts(db, docs)
  const out: Omit<IndexRow, 'facets'>[] = []
  for (const [kind, group] of byKind(docs, (d) => d)) {
    const rows = await readCompiled(db, sql<Omit<IndexRow, 'facets'>>`
      select rowid as doc, title, lead, body, tags from ${indexOf(kind)} where rowid in (${sql.join(group)})`.compile(db))
    out.push(...rows)
  }
  return out
}

// ── The log of index changes (kept-answers.ts) ───────────────────────────────────────────────

export async function insertSearchChange(db: Kysely<DB>, words: string): Promise<void> {
  await db.insertInto('search_changes').values({ words }).execute()
}

export async function newestSearchChange(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('search_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst()
  return Number(row?.seq ?? 0)
}

/**
 * Runs `read` in one read transaction (a search worker's read-only SQLite connection), with the
 * newest row of the index's change log in the same snapshot: the answer reflects exactly the
 * batches up to it, however long the search waited for its turn.
 */
export async function inReadSnapshot<T>(db: Kysely<DB>, read: (db: Kysely<DB>) => Promise<T>): Promise<{ value: T; seq: number }> {
  return db.connection().execute(async (conn) => {
    await sql`begin`.execute(conn) // deferred: the snapshot begins with the first read, the next line
    let answer: { value: T; seq: number }
    try {
      const seq = await newestSearchChange(conn)
      answer = { value: await read(conn), seq }
    } catch (err) {
      // SQLite may have ended the transaction itself (after an I/O error, say): the first error is the one to tell.
      await sql`rollback`.execute(conn).catch(() => {})
      throw err
    }
    await sql`commit`.execute(conn)
    return answer
  })
}

export async function listSearchChangesAfter(db: Kysely<DB>, seq: number, limit: number) {
  const rows = await db.selectFrom('search_changes').select(['seq', 'words']).where('seq', '>', seq).orderBy('seq').limit(limit).execute()
  return rows.map((r) => ({ seq: Number(r.seq), words: r.words }))
}

/** Deletes the rows up to `upTo` but the newest; returns the newest row's number, for the next run. */
export async function pruneSearchChanges(db: Kysely<DB>, upTo: number): Promise<number> {
  const newest = await newestSearchChange(db)
  if (upTo > 0) await db.deleteFrom('search_changes').where('seq', '<=', Math.min(upTo, newest - 1)).execute()
  return newest
}

// ── What a result shows; visibility checked again ────────────────────────────────────────────

export function findTagIdByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('tags').select(['id', 'name']).where('name', '=', name).executeTakeFirst()
}

const postHits = compiledOnce((db: Kysely<DB>, ...ids: number[]) => db
  .selectFrom('posts')
  .innerJoin('users', 'users.id', 'posts.author_id')
  .select(['posts.id', 'posts.slug', 'posts.title', 'posts.summary', 'posts.published_at', 'users.display_name', 'users.username'])
  .where('posts.id', 'in', ids)
  .where('posts.status', '=', 'published'))

export function listPostHits(db: Kysely<DB>, ids: number[]) {
  return postHits(db, ...ids)
}

const microHits = compiledOnce((db: Kysely<DB>, ...ids: number[]) => db
  .selectFrom('micro_posts')
  .innerJoin('users', 'users.id', 'micro_posts.author_id')
  .select(['micro_posts.id', 'micro_posts.body', 'micro_posts.created_at', 'users.display_name', 'users.username'])
  .where('micro_posts.id', 'in', ids)
  .where('micro_posts.deleted_at', 'is', null)
  .where('micro_posts.hidden_at', 'is', null))

export function listMicroHits(db: Kysely<DB>, ids: number[]) {
  return microHits(db, ...ids)
}

const commentHits = compiledOnce((db: Kysely<DB>, ...ids: number[]) => db
  .selectFrom('comments')
  .innerJoin('posts', 'posts.id', 'comments.post_id')
  .leftJoin('users', 'users.id', 'comments.author_id')
  .select([
    'comments.id', 'comments.created_at', 'comments.author_name', 'posts.slug', 'posts.title as post_title',
    'users.display_name', 'users.username',
  ])
  .where('comments.id', 'in', ids)
  .where('comments.deleted_at', 'is', null)
  .where('comments.hidden_at', 'is', null)
  .where('posts.status', '=', 'published'))

export function listCommentHits(db: Kysely<DB>, ids: number[]) {
  return commentHits(db, ...ids)
}
