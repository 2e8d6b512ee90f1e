// What becomes of each WordPress item: imported as a published post, imported as a draft of its
// author (with the reason), or skipped (with the reason, for the report). Pure.
import type { WxrItem } from '../wordpress/wxr-types.js'

export type SkipReason =
  | 'attachment' // copied as images where posts use them
  | 'page' // --skip-pages
  | 'trash' | 'auto-draft' | 'revision' | 'nav-menu' | 'other-type'

/** Why a post that was not published in WordPress, or cannot be published here, is a draft. */
export type DraftReason = 'draft' | 'pending' | 'private' | 'scheduled' | 'password' | 'unknown-status'

export type ItemDecision =
  | { action: 'import'; status: 'published'; isPage: boolean }
  | { action: 'import'; status: 'draft'; isPage: boolean; reason: DraftReason }
  | { action: 'skip'; reason: SkipReason }

export interface ClassifyOptions {
  skipPages: boolean
}

export function classifyItem(item: Pick<WxrItem, 'postType' | 'status' | 'password'>, opts: ClassifyOptions): ItemDecision {
  const type = item.postType || 'post'
  if (type === 'attachment') return { action: 'skip', reason: 'attachment' }
  if (type === 'revision') return { action: 'skip', reason: 'revision' }
  if (type === 'nav_menu_item') return { action: 'skip', reason: 'nav-menu' }
  if (type !== 'post' && type !== 'page') return { action: 'skip', reason: 'other-type' }
  const isPage = type === 'page'
  if (isPage && opts.skipPages) return { action: 'skip', reason: 'page' }
  const draft = (reason: DraftReason): ItemDecision => ({ action: 'import', status: 'draft', isPage, reason })
  switch (item.status) {
    case 'trash': return { action: 'skip', reason: 'trash' }
    case 'auto-draft': case 'inherit': return { action: 'skip', reason: 'auto-draft' }
    // A password-protected post was not public: publishing it here would expose it.
    case 'publish': return item.password.trim() ? draft('password') : { action: 'import', status: 'published', isPage }
    case 'draft': return draft('draft')
    case 'pending': return draft('pending')
    case 'private': return draft('private')
    // Scheduling is an editorial decision; it is not taken over silently.
    case 'future': return draft('scheduled')
    default: return draft('unknown-status')
  }
}
