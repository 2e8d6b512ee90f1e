import type { Kysely, Selectable } from 'kysely'
import type { DB, EmbedCacheTable } from '../db/schema.js'

export type EmbedCacheRow = Selectable<EmbedCacheTable>

export async function findCachedEmbeds(db: Kysely<DB>, urls: readonly string[]): Promise<EmbedCacheRow[]> {
  if (!urls.length) return []
  return db.selectFrom('embed_cache').selectAll().where('url', 'in', urls).execute()
}

export async function upsertCachedEmbed(db: Kysely<DB>, row: EmbedCacheRow): Promise<void> {
  await db.insertInto('embed_cache').values(row)
    .onConflict((oc) => oc.column('url').doUpdateSet({
      provider: row.provider, src: row.src, title: row.title, fetched_at: row.fetched_at, expires_at: row.expires_at,
    }))
    .execute()
}
