// Rows without a date sort last, on SQLite as on PostgreSQL. Left to the database, SQLite puts NULLs
// first in ascending order and last in descending order, PostgreSQL the other way round: each list
// below would come out in another order on one of them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { buildTestApp } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { insertPost } from '../feeds/fixtures.js'
import { listPublishedPosts } from '../../src/posts/queries.js'
import { listPublishedPosts as listFeedPosts, listSubmittedPosts } from '../../src/feeds/queries.js'
import { listScheduled } from '../../src/editorial/queries.js'
import { listSuggestedAuthors, listTimelinePostKeys } from '../../src/following/queries.js'

const at = (minutes: number) => new Date(Date.parse('2026-11-01T12:00:00.000Z') + minutes * 60_000).toISOString()

test('a row without its date comes last in every list ordered by that date, on both databases', async (t) => {
  const app = await buildTestApp(t)
  const [early, late, undated, reader] = [await makeUser(app), await makeUser(app), await makeUser(app), await makeUser(app)]
  const older = await insertPost(app, { author: early, title: 'Eldre', publishedAt: at(0) })
  const newer = await insertPost(app, { author: late, title: 'Nyere', publishedAt: at(10) })
  const dateless = await insertPost(app, { author: undated, title: 'Uten dato', publishedAt: at(5) })
  await app.db.updateTable('posts').set({ published_at: null }).where('id', '=', dateless.id).execute()

  const published = [newer.id, older.id, dateless.id]
  assert.deepEqual((await listPublishedPosts(app.db, { limit: 10 })).map((p) => p.id), published)
  assert.deepEqual((await listFeedPosts(app.db, { limit: 10 })).map((p) => p.id), published)
  assert.deepEqual((await listSuggestedAuthors(app.db, reader.id, 10)).map((u) => u.id), [late.id, early.id, undated.id])
  for (const author of [early, late, undated]) {
    await app.db.insertInto('user_follows').values({ follower_id: reader.id, followed_id: author.id, created_at: at(0) }).execute()
  }
  assert.deepEqual((await listTimelinePostKeys(app.db, reader.id, undefined, 10)).map((k) => k.id), published)

  // Oldest first: still last without a date.
  const waiting = [
    await insertPost(app, { author: early, title: 'Sendt uten tid', status: 'submitted' }),
    await insertPost(app, { author: early, title: 'Sendt sent', status: 'submitted', submittedAt: at(20) }),
    await insertPost(app, { author: early, title: 'Sendt tidlig', status: 'submitted', submittedAt: at(15) }),
  ]
  assert.deepEqual((await listSubmittedPosts(app.db, 10)).map((p) => p.id), [waiting[2]!.id, waiting[1]!.id, waiting[0]!.id])
  const planned = [
    await insertPost(app, { author: early, title: 'Planlagt uten tid', status: 'scheduled' }),
    await insertPost(app, { author: early, title: 'Planlagt', status: 'scheduled' }),
  ]
  await app.db.updateTable('posts').set({ scheduled_at: at(60) }).where('id', '=', planned[1]!.id).execute()
  assert.deepEqual((await listScheduled(app.db, 10)).map((p) => p.id), [planned[1]!.id, planned[0]!.id])
})
