// The data of the moderation pages: the queue of reported items, the hidden items, and the page on
// which an editor hides or restores one item.
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB, ModerationStatus, ModerationSubject } from '../db/schema.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { safeNextPath } from '../web/next-path.js'
import { countItems, findItem, findItemById, listItems, listOpenReports } from './queries.js'
import { loadSubject, loadSubjects, subjectKey } from './subjects.js'

export const QUEUE_PAGE = 25

export async function itemsPage(db: Kysely<DB>, req: FastifyRequest, status: Extract<ModerationStatus, 'open' | 'hidden'>, after?: number) {
  const cursorItem = after ? await findItemById(db, after) : undefined
  const cursor = cursorItem && cursorItem.status === status
    ? { at: status === 'open' ? cursorItem.queued_at : cursorItem.updated_at, id: cursorItem.id }
    : undefined
  const rows = await listItems(db, status, QUEUE_PAGE, cursor)
  const page = rows.slice(0, QUEUE_PAGE)
  const subjects = await loadSubjects(db, page.map((r) => ({ type: r.subject_type, id: r.subject_id })))
  const reports = status === 'open' ? await listOpenReports(db, page.map((r) => r.id)) : []
  const items = page.map((r) => ({
    itemId: r.id, type: r.subject_type, id: r.subject_id, openReports: r.open_reports, queuedAt: r.queued_at, updatedAt: r.updated_at,
    subject: subjects.get(subjectKey(r.subject_type, r.subject_id))?.subject,
    reports: reports.filter((x) => x.item_id === r.id),
  }))
  return {
    title: req.t(status === 'open' ? 'moderation.queue.title' : 'moderation.hidden.title'),
    tab: status,
    items,
    counts: { open: await countItems(db, 'open'), hidden: await countItems(db, 'hidden') },
    next: rows.length > QUEUE_PAGE ? page[page.length - 1]?.id : undefined,
    paged: cursor !== undefined,
  }
}

/** The hide or restore page of one item, with its open reports. */
export async function actPage(db: Kysely<DB>, req: FastifyRequest, type: ModerationSubject, id: number, act: 'hide' | 'restore', next?: string) {
  const loaded = await loadSubject(db, type, id)
  if (!loaded) throw new NotFoundError(type)
  const s = loaded.subject
  if (act === 'hide' && s.deleted) throw new ConflictError('deleted by its author', 'moderation.deleted')
  if (act === 'hide' && s.hidden) throw new ConflictError('already hidden', 'moderation.alreadyHidden')
  if (act === 'restore' && !s.hidden) throw new ConflictError('not hidden', 'moderation.notHidden')
  const item = await findItem(db, type, id)
  const reports = item && item.status === 'open' ? await listOpenReports(db, [item.id], 100) : []
  return {
    title: req.t(act === 'hide' ? 'moderation.hide.title' : 'moderation.restore.title'),
    act,
    subject: loaded.subject,
    reports,
    next: next ? safeNextPath(next) : loaded.subject.href,
  }
}
