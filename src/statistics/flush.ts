// Writes what the counter gathered: one short transaction adding to the daily totals (upserts), so
// serving a page never waits for the database.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Counts } from './counter.js'
import { addPageViews, addPostViews, addReaders, findPublishedIdsBySlug } from './queries.js'

export async function writeCounts(db: Kysely<DB>, c: Counts): Promise<void> {
  if (!c.pages.size && !c.posts.size && !c.readers.size) return
  const split = (key: string) => key.split('\t') as [string, string]
  const slugs = [...new Set([...c.posts.keys()].map((k) => split(k)[1]))]
  await db.transaction().execute(async (trx) => {
    const ids = await findPublishedIdsBySlug(trx, slugs)
    await addPageViews(trx, [...c.pages].map(([k, views]) => ({ day: split(k)[0], kind: split(k)[1], views })))
    await addPostViews(trx, [...c.posts].flatMap(([k, views]) => {
      const [day, slug] = split(k)
      const id = ids.get(slug)
      return id === undefined ? [] : [{ day, post_id: id, views }]
    }))
    await addReaders(trx, [...c.readers].map(([day, readers]) => ({ day, readers })))
  })
}
