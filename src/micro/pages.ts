// The data of the microblog pages (timeline, thread, a person's updates), for routes to render.
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { NotFoundError } from '../errors.js'
import { guidelinesToAcceptKept } from '../guidelines/kept.js'
import { findUserByUsername } from '../users/queries.js'
import { graphemeLength, MICRO_MAX_CHARS } from './text.js'
import { findMicro, listMarksInWindow, listThread, listTimeline, listUserUpdates } from './queries.js'
import { toMicroView, type MicroView } from './view.js'
import type { CurrentUser } from '../users/user.js'

export const TIMELINE_PAGE = 30
export const THREAD_PAGE = 200
export const USER_PAGE = 30

const emptyForm = () => ({ values: { body: '' }, errors: {} })

async function composeData(req: FastifyRequest, marks?: TimelineMarks) {
  return {
    maxChars: MICRO_MAX_CHARS,
    countChars: graphemeLength,
    needsGuidelines: marks ? marks.needsGuidelines : req.user ? await guidelinesToAcceptKept(req, req.user.id) : undefined,
    form: emptyForm(),
  }
}

/** What the timeline shows of its reader: their likes and bookmarks on the page, and guidelines to accept. */
export interface TimelineMarks {
  liked: Set<number>
  bookmarked: Set<number>
  needsGuidelines?: number
}

export async function timelineMarks(db: Kysely<DB>, req: FastifyRequest, viewer: CurrentUser, before?: number): Promise<TimelineMarks> {
  const [rows, needsGuidelines] = await Promise.all([
    listMarksInWindow(db, viewer.id, TIMELINE_PAGE, before),
    guidelinesToAcceptKept(req, viewer.id),
  ])
  return {
    liked: new Set(rows.filter((r) => r.mark === 'liked').map((r) => r.micro_id)),
    bookmarked: new Set(rows.filter((r) => r.mark === 'bookmarked').map((r) => r.micro_id)),
    needsGuidelines,
  }
}

/** The marks as part of a shared body's key (src/web/shared-page.ts). */
export const marksKey = (m: TimelineMarks) => `liked:${sorted(m.liked)} bookmarked:${sorted(m.bookmarked)} guidelines:${m.needsGuidelines ?? ''}`
// In order, so that the same marks make the same key whatever order the database gave them in.
const sorted = (ids: Set<number>) => [...ids].sort((a, b) => a - b).join(',')

/**
 * The timeline for `viewer` (by default the request's person); their likes and bookmarks come from
 * `marks` (read here when not given). For a shared body the viewer has roles only and the marks are
 * the person's the body is keyed by.
 */
export async function timelinePage(db: Kysely<DB>, req: FastifyRequest, before?: number, viewer = req.user, marks?: TimelineMarks) {
  if (!marks && req.user) marks = await timelineMarks(db, req, req.user, before)
  const rows = await listTimeline(db, TIMELINE_PAGE, before)
  const items = rows.slice(0, TIMELINE_PAGE).map((r) => toMicroView(r, viewer, { liked: !!marks?.liked.has(r.id), bookmarked: !!marks?.bookmarked.has(r.id) }))
  return {
    title: req.t('micro.title'),
    items,
    older: rows.length > TIMELINE_PAGE ? items[items.length - 1]?.id : undefined,
    paged: before !== undefined,
    here: before ? `/micro?before=${before}` : '/micro',
    ...(await composeData(req, marks)),
  }
}

/**
 * A conversation around one update (the focal one). The page starts at the thread's first update; if
 * the focal update lies beyond the first page, it starts at the focal update with the first update
 * above it for context.
 */
export async function threadPage(db: Kysely<DB>, req: FastifyRequest, id: number, after?: number) {
  const focal = await findMicro(db, id, req.user?.id ?? null)
  if (!focal) throw new NotFoundError('update')
  const rootId = focal.root_id ?? focal.id
  const viewerId = req.user?.id ?? null
  let rows = await listThread(db, rootId, viewerId, THREAD_PAGE, after)
  let gapBefore = false
  const inWindow = (rs: typeof rows) => rs.slice(0, THREAD_PAGE).some((r) => r.id === id)
  if (after === undefined && !inWindow(rows)) {
    const rest = await listThread(db, rootId, viewerId, THREAD_PAGE, id - 1)
    rows = [...rows.slice(0, 1), ...rest]
    gapBefore = true
  }
  const limit = gapBefore ? THREAD_PAGE + 1 : THREAD_PAGE
  const items = rows.slice(0, limit).map((r) => toMicroView(r, req.user))
  const focalView = toMicroView(focal, req.user)
  return {
    title: req.t('micro.thread.title', { name: focal.display_name }),
    items,
    focal: focalView,
    rootId,
    gapBefore: gapBefore || after !== undefined,
    newer: rows.length > limit ? items[items.length - 1]?.id : undefined,
    here: after !== undefined ? `/micro/${id}?after=${after}` : `/micro/${id}`,
    ...(await composeData(req)),
  }
}

export async function userUpdatesPage(db: Kysely<DB>, req: FastifyRequest, username: string, before?: number) {
  const user = await findUserByUsername(db, username)
  if (!user) throw new NotFoundError('user')
  const cursorRow = before ? await findMicro(db, before) : undefined
  const cursor = cursorRow && cursorRow.author_id === user.id ? { createdAt: cursorRow.created_at, id: cursorRow.id } : undefined
  const rows = await listUserUpdates(db, user.id, req.user?.id ?? null, USER_PAGE, cursor)
  const items: MicroView[] = rows.slice(0, USER_PAGE).map((r) => toMicroView(r, req.user))
  return {
    title: req.t('micro.user.title', { name: user.display_name }),
    person: { username: user.username, displayName: user.display_name },
    items,
    older: rows.length > USER_PAGE ? items[items.length - 1]?.id : undefined,
    paged: cursor !== undefined,
    here: `/users/${encodeURIComponent(user.username)}/updates${cursor ? `?before=${cursor.id}` : ''}`,
  }
}
