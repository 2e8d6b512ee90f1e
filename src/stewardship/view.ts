// The note on a published post's page: who is responsible and when it was last reviewed (for every
// reader), and — for editors and the owner — the due date, whether it is overdue, and a link to change.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { findStewardship } from './queries.js'
import { addMonths, mayManage, osloDay, reviewMonths } from './service.js'

export interface StewardshipNote {
  owner?: { name: string; url: string }
  unit: string
  reviewedAt?: string
  reviewBy: string
  overdue: boolean
  /** Set for editors and the owner: the page where they change it. */
  manageUrl?: string
  /** Who may change it besides the editors (a page shared by readers is not theirs: src/web/shared-page.ts). */
  managerId: number | null
}

export async function stewardshipNote(
  db: Kysely<DB>, post: { id: number; author_id: number; status: string; published_at: string | null },
  author: { username: string; display_name: string } | undefined, viewer: CurrentUser | null | undefined, now = new Date(),
): Promise<StewardshipNote | undefined> {
  if (post.status !== 'published' || !post.published_at) return undefined
  const s = await findStewardship(db, post.id)
  // Published otherwise than through publishing or the import, before the hourly job gave it a row
  // (service.ts ensureStewardship): the defaults it will get.
  const row = s ?? {
    owner_id: post.author_id, owner_unit: '', reviewed_at: null, review_by: addMonths(osloDay(post.published_at), await reviewMonths(db)),
    owner_username: author?.username ?? null, owner_name: author?.display_name ?? null,
  }
  const manage = mayManage(row, post, viewer)
  return {
    owner: row.owner_username && row.owner_name ? { name: row.owner_name, url: `/users/${encodeURIComponent(row.owner_username)}` } : undefined,
    unit: row.owner_unit,
    reviewedAt: row.reviewed_at ?? undefined,
    reviewBy: row.review_by,
    overdue: row.review_by < osloDay(now),
    manageUrl: manage ? `/posts/${post.id}/ownership` : undefined,
    managerId: row.owner_id ?? post.author_id,
  }
}
