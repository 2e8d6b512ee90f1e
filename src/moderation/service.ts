// Moderation rules: anyone logged in reports an update or a comment with a reason; editors hide,
// restore or keep (dismiss the reports of) an item, always with the act in the audit trail in the
// same transaction. Editors may hide any item directly, reported or not.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB, ModerationSubject } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { notify, notifyEditors, type NewNotification } from '../notifications/service.js'
import { snippet } from '../micro/text.js'
import { plainText } from '../markdown/index.js'
import { checkText, requireActiveUser } from './posting.js'
import { loadSubject, setSubjectHidden, type Subject } from './subjects.js'
import { ensureItem, findItemById, findOpenReport, insertReport, resolveReports, updateItem } from './queries.js'

export const REPORT_REASON_MAX = 1000
export const MODERATION_REASON_MAX = 500

const actorOf = (u: CurrentUser) => ({ id: u.id, name: u.username })
const contentHash = (s: Subject) => createHash('sha256').update(s.source).digest('hex')

function requireEditorRole(actor: CurrentUser): void {
  if (!actor.isEditor) throw new ForbiddenError('editors moderate')
}

function notificationAbout(s: Subject, kind: NewNotification['kind'], actorId: number | null, extra: Record<string, string> = {}): NewNotification {
  // What readers saw (the rendered text), not the Markdown typed.
  const data: Record<string, string> = { snippet: snippet(s.html ? plainText(s.html) : s.source), ...extra }
  if (s.post) Object.assign(data, { slug: s.post.slug, title: s.post.title })
  return { kind, actorId, subjectType: s.type, subjectId: s.id, data }
}

export async function reportItem(db: Kysely<DB>, actor: CurrentUser, type: ModerationSubject, id: number, rawReason: string, now = new Date()) {
  const reason = checkText(rawReason, REPORT_REASON_MAX, 'reason', 'report.reason.tooLong', 'report.reason.required')
  const iso = now.toISOString()
  await db.transaction().execute(async (trx) => {
    await requireActiveUser(trx, actor.id)
    const loaded = await loadSubject(trx, type, id)
    if (!loaded) throw new NotFoundError(type)
    const s = loaded.subject
    if (s.authorId === actor.id) throw new ConflictError('own item', 'report.own')
    if (s.deleted || s.hidden) throw new ConflictError('item not visible', 'report.unavailable')
    const itemId = await ensureItem(trx, type, id, s.authorId, 'open', iso)
    const item = (await findItemById(trx, itemId))!
    if (await findOpenReport(trx, itemId, actor.id)) throw new ConflictError('already reported', 'report.already')
    await insertReport(trx, { itemId, reporterId: actor.id, reason, now: iso })
    const waiting = item.status === 'open' && item.open_reports > 0
    await updateItem(trx, itemId, { status: 'open', open_reports: item.open_reports + 1, queued_at: waiting ? item.queued_at : iso, updated_at: iso })
    await notifyEditors(trx, notificationAbout(s, 'moderation.reported', actor.id), actor.id)
  })
}

export async function hideItem(db: Kysely<DB>, actor: CurrentUser, type: ModerationSubject, id: number, rawReason: string, now = new Date()) {
  requireEditorRole(actor)
  const reason = checkText(rawReason, MODERATION_REASON_MAX, 'reason', 'moderation.reason.tooLong', 'moderation.reason.required')
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const loaded = await loadSubject(trx, type, id)
    if (!loaded) throw new NotFoundError(type)
    const s = loaded.subject
    if (s.deleted) throw new ConflictError('deleted by its author', 'moderation.deleted')
    if (s.hidden) throw new ConflictError('already hidden', 'moderation.alreadyHidden')
    await setSubjectHidden(trx, loaded, { at: iso, by: actor.id, reason })
    const itemId = await ensureItem(trx, type, id, s.authorId, 'hidden', iso)
    await resolveReports(trx, itemId, actor.id, iso)
    await updateItem(trx, itemId, { status: 'hidden', open_reports: 0, updated_at: iso })
    await appendAuditEvent(trx, {
      actor: actorOf(actor), action: `${type}.hide`, subjectType: type, subjectId: id, fromState: 'visible', toState: 'hidden',
      note: reason, contentHash: contentHash(s), at: iso,
    })
    if (s.authorId) await notify(trx, s.authorId, notificationAbout(s, 'moderation.hidden', actor.id, { reason }), now)
    return s
  })
}

export async function restoreItem(db: Kysely<DB>, actor: CurrentUser, type: ModerationSubject, id: number, rawReason: string, now = new Date()) {
  requireEditorRole(actor)
  const reason = checkText(rawReason, MODERATION_REASON_MAX, 'reason', 'moderation.reason.tooLong', 'moderation.reason.required')
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const loaded = await loadSubject(trx, type, id)
    if (!loaded) throw new NotFoundError(type)
    const s = loaded.subject
    if (!s.hidden) throw new ConflictError('not hidden', 'moderation.notHidden')
    await setSubjectHidden(trx, loaded, null)
    const itemId = await ensureItem(trx, type, id, s.authorId, 'cleared', iso)
    await updateItem(trx, itemId, { status: 'cleared', open_reports: 0, updated_at: iso })
    await appendAuditEvent(trx, {
      actor: actorOf(actor), action: `${type}.restore`, subjectType: type, subjectId: id, fromState: 'hidden', toState: 'visible',
      note: reason, contentHash: contentHash(s), at: iso,
    })
    if (s.authorId) await notify(trx, s.authorId, notificationAbout(s, 'moderation.restored', actor.id, { reason }), now)
    return s
  })
}

/** The editors looked at a reported item and keep it visible: its open reports are settled. */
export async function dismissReports(db: Kysely<DB>, actor: CurrentUser, itemId: number, now = new Date()) {
  requireEditorRole(actor)
  const iso = now.toISOString()
  await db.transaction().execute(async (trx) => {
    const item = await findItemById(trx, itemId)
    if (!item) throw new NotFoundError('moderation item')
    if (item.status !== 'open') throw new ConflictError('not in the queue', 'moderation.notOpen')
    const settled = await resolveReports(trx, itemId, actor.id, iso)
    await updateItem(trx, itemId, { status: 'cleared', open_reports: 0, updated_at: iso })
    await appendAuditEvent(trx, {
      actor: actorOf(actor), action: `${item.subject_type}.keep`, subjectType: item.subject_type, subjectId: item.subject_id,
      fromState: 'reported', toState: 'visible', note: `${settled} report(s) dismissed`, at: iso,
    })
  })
}
