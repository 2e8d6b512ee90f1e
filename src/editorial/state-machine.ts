// The editorial state machine, pure: which action may move a post (or a pending change to a
// published post) from which state to which, and who may do it. Services call `transition` inside
// their transaction and record its from/to in the audit trail.
//
//   draft ─submit→ submitted ─publish→ published ─withdraw→ withdrawn ─submit→ submitted …
//                      │ └─schedule→ scheduled ─(time)→ published
//                      ├─request-changes→ changes_requested ─submit→ submitted
//                      ├─reject→ rejected (final; the author may delete it)
//                      └─retract→ draft (the author takes it back)
//
// A change by its author to a published or scheduled post is reviewed on its own ("edit:…" states)
// while the approved version stays: edit:draft ─submit→ edit:submitted ─publish→ (applied) …
import { ConflictError, ForbiddenError } from '../errors.js'
import type { EditStatus, PostStatus } from '../db/schema.js'
import type { MessageKey } from '../web/i18n/index.js'

export type Decision = 'publish' | 'schedule' | 'request-changes' | 'reject'
export type EditorialAction = 'submit' | 'retract' | Decision | 'withdraw' | 'pin' | 'unpin' | 'delete'
export const DECISIONS: readonly Decision[] = ['publish', 'schedule', 'request-changes', 'reject']

export interface EditorialPost {
  status: PostStatus
  authorId: number
  editStatus: EditStatus | null
}

/** null: the system (the scheduler). */
export type Actor = { id: number; isEditor: boolean } | null

export interface Rules {
  /** An editor may not approve their own post. */
  fourEyes: boolean
}

export type Target = 'post' | 'edit'

export interface Transition {
  target: Target
  from: string
  to: string
}

/** How a save by `actor` is stored: into the row, as a pending change, or live at once. */
export type EditMode = 'row' | 'pending' | 'live'

const LIVE: PostStatus[] = ['published', 'scheduled']
const WORKING: PostStatus[] = ['draft', 'changes_requested', 'withdrawn']

export function isLive(status: PostStatus): boolean {
  return LIVE.includes(status)
}

/** Whether a review concerns the post itself or a pending change to its approved version. */
export function reviewTarget(p: EditorialPost): Target {
  return isLive(p.status) && p.editStatus ? 'edit' : 'post'
}

/** The state a review is about: the post's status, or "edit:<status>" for a pending change. */
export function reviewState(p: EditorialPost): string {
  return reviewTarget(p) === 'edit' ? `edit:${p.editStatus}` : p.status
}

export function canApprove(p: EditorialPost, actor: Actor, rules: Rules): boolean {
  return !!actor?.isEditor && !(rules.fourEyes && actor.id === p.authorId)
}

const conflict = (key: MessageKey) => new ConflictError(key, key)

/** Who may change the content, and how. Throws when nobody may right now. */
export function editMode(p: EditorialPost, actor: Actor, rules: Rules): EditMode {
  if (!actor) throw new ForbiddenError('no actor')
  const own = actor.id === p.authorId
  if (isLive(p.status)) {
    // Saving straight into a live post is approving it: only for those who could approve it.
    if (canApprove(p, actor, rules)) {
      if (p.editStatus && !own) throw conflict('editorial.edit.pendingExists')
      if (!p.editStatus) return 'live'
    }
    if (!own) throw new ForbiddenError('not the author')
    if (p.editStatus === 'submitted') throw conflict('editorial.edit.submitted')
    return 'pending'
  }
  if (!own) throw new ForbiddenError('not the author')
  if (WORKING.includes(p.status)) return 'row'
  if (p.status === 'submitted') throw conflict('editorial.edit.submitted')
  throw conflict('editorial.edit.rejected')
}

/** The transition `action` makes, or an error: ForbiddenError for role/ownership, ConflictError for state. */
export function transition(p: EditorialPost, action: EditorialAction, actor: Actor, rules: Rules): Transition {
  const target = reviewTarget(p)
  const from = reviewState(p)
  const own = actor !== null && actor.id === p.authorId
  const editor = actor?.isEditor === true
  const to = (state: string): Transition => ({ target, from, to: state })
  const need = (ok: boolean) => {
    if (!ok) throw new ForbiddenError(`${action} not allowed for this user`)
  }
  const inState = (...states: string[]) => {
    if (!states.includes(from)) throw conflict('editorial.state.conflict')
  }
  const approver = () => {
    need(editor)
    if (!canApprove(p, actor, rules)) throw conflict('editorial.fourEyes')
  }

  switch (action) {
    case 'submit':
      need(own)
      inState('draft', 'changes_requested', 'withdrawn', 'edit:draft', 'edit:changes_requested')
      return to(target === 'edit' ? 'edit:submitted' : 'submitted')
    case 'retract':
      need(own)
      inState('submitted', 'edit:submitted')
      return to(target === 'edit' ? 'edit:draft' : 'draft')
    case 'publish':
      if (actor === null) {
        inState('scheduled') // the scheduler publishes what an editor scheduled
        return to('published')
      }
      approver()
      inState('submitted', 'scheduled', 'edit:submitted')
      // An approved change keeps the post where it is (published, or scheduled for its time).
      return to(target === 'edit' ? p.status : 'published')
    case 'schedule':
      approver()
      inState('submitted')
      return to('scheduled')
    case 'request-changes':
    case 'reject':
      need(editor)
      inState('submitted', 'edit:submitted')
      return to(`${target === 'edit' ? 'edit:' : ''}${action === 'reject' ? 'rejected' : 'changes_requested'}`)
    case 'withdraw':
      need(editor)
      if (!isLive(p.status)) throw conflict('editorial.state.conflict')
      return { target: 'post', from: p.status, to: 'withdrawn' }
    case 'pin':
    case 'unpin':
      need(editor)
      if (p.status !== 'published') throw conflict('editorial.state.conflict')
      return { target: 'post', from: p.status, to: p.status }
    case 'delete':
      // A draft never sent is the author's alone (editors do not even see it).
      need(own || (editor && p.status !== 'draft'))
      // A live post is withdrawn first; a submitted one is retracted (or decided) first.
      if (isLive(p.status) || (p.status === 'submitted' && !editor)) throw conflict('editorial.delete.notNow')
      return { target: 'post', from: p.status, to: 'deleted' }
  }
}

/** Whether `action` (or editing) is open to the actor now: for showing only the buttons that work. */
export function isAllowed(p: EditorialPost, action: EditorialAction | 'edit', actor: Actor, rules: Rules): boolean {
  try {
    if (action === 'edit') editMode(p, actor, rules)
    else transition(p, action, actor, rules)
    return true
  } catch {
    return false
  }
}
