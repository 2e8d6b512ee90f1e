// Bookmarks ("Les senere"): private to their owner, who alone reads and changes them. Only what the
// person may read can be kept; taking a bookmark back is always possible.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { requireActiveUser } from '../moderation/posting.js'
import { findPostById } from '../posts/queries.js'
import { findMicro } from '../micro/queries.js'
import { isVisible } from '../micro/service.js'
import { deleteBookmark, insertBookmark, type BookmarkKind } from './queries.js'

/** Keeps the post or update for later, or lets it go. Returns whether it is kept now. */
export async function toggleBookmark(db: Kysely<DB>, actor: CurrentUser, kind: BookmarkKind, id: number, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    if (await deleteBookmark(trx, actor.id, kind, id)) return false
    if (kind === 'post') {
      const post = await findPostById(trx, id)
      // An unpublished post does not exist for a reader (src/posts/visibility.ts), so neither here.
      if (!post || post.status !== 'published') throw new NotFoundError('post')
    } else {
      const m = await findMicro(trx, id)
      if (!m) throw new NotFoundError('update')
      if (!isVisible(m)) throw new ConflictError('bookmark of a deleted or hidden update', 'bookmarks.unavailable')
    }
    await insertBookmark(trx, actor.id, kind, id, now.toISOString())
    return true
  })
}
