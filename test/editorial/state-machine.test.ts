import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  canApprove, editMode, reviewState, transition, type EditorialAction, type EditorialPost,
} from '../../src/editorial/state-machine.js'
import { ConflictError, ForbiddenError } from '../../src/errors.js'
import type { EditStatus, PostStatus } from '../../src/db/schema.js'

const AUTHOR = { id: 1, isEditor: false }
const EDITOR = { id: 2, isEditor: true }
const OTHER = { id: 3, isEditor: false }
const EDITOR_AUTHOR = { id: 1, isEditor: true }
const FOUR_EYES = { fourEyes: true }
const NO_FOUR_EYES = { fourEyes: false }

const post = (status: PostStatus, editStatus: EditStatus | null = null): EditorialPost => ({ status, authorId: 1, editStatus })

test('every allowed transition of a post', () => {
  const cases: [PostStatus, EditorialAction, typeof AUTHOR | null, string][] = [
    ['draft', 'submit', AUTHOR, 'submitted'],
    ['changes_requested', 'submit', AUTHOR, 'submitted'],
    ['withdrawn', 'submit', AUTHOR, 'submitted'],
    ['submitted', 'retract', AUTHOR, 'draft'],
    ['submitted', 'publish', EDITOR, 'published'],
    ['scheduled', 'publish', EDITOR, 'published'],
    ['scheduled', 'publish', null, 'published'], // the scheduler
    ['submitted', 'schedule', EDITOR, 'scheduled'],
    ['submitted', 'request-changes', EDITOR, 'changes_requested'],
    ['submitted', 'reject', EDITOR, 'rejected'],
    ['published', 'withdraw', EDITOR, 'withdrawn'],
    ['scheduled', 'withdraw', EDITOR, 'withdrawn'],
    ['published', 'pin', EDITOR, 'published'],
    ['published', 'unpin', EDITOR, 'published'],
    ['draft', 'delete', AUTHOR, 'deleted'],
    ['rejected', 'delete', AUTHOR, 'deleted'],
    ['withdrawn', 'delete', AUTHOR, 'deleted'],
    ['submitted', 'delete', EDITOR, 'deleted'],
  ]
  for (const [status, action, actor, to] of cases) {
    const step = transition(post(status), action, actor, FOUR_EYES)
    assert.equal(step.to, to, `${status} --${action}--> ${to}`)
    assert.equal(step.from, status)
    assert.equal(step.target, 'post')
  }
})

test('every allowed transition of a pending change to a published post', () => {
  const cases: [EditStatus, EditorialAction, typeof AUTHOR, string][] = [
    ['draft', 'submit', AUTHOR, 'edit:submitted'],
    ['changes_requested', 'submit', AUTHOR, 'edit:submitted'],
    ['submitted', 'retract', AUTHOR, 'edit:draft'],
    ['submitted', 'publish', EDITOR, 'published'], // approved: applied, the post stays published
    ['submitted', 'request-changes', EDITOR, 'edit:changes_requested'],
    ['submitted', 'reject', EDITOR, 'edit:rejected'],
  ]
  for (const [editStatus, action, actor, to] of cases) {
    const step = transition(post('published', editStatus), action, actor, FOUR_EYES)
    assert.equal(step.target, 'edit')
    assert.equal(step.from, `edit:${editStatus}`)
    assert.equal(step.to, to, `edit:${editStatus} --${action}--> ${to}`)
  }
  // An approved change to a scheduled post keeps it scheduled.
  assert.equal(transition(post('scheduled', 'submitted'), 'publish', EDITOR, FOUR_EYES).to, 'scheduled')
})

test('an employee cannot publish, schedule, decide, withdraw or pin', () => {
  for (const action of ['publish', 'schedule', 'request-changes', 'reject'] as const) {
    assert.throws(() => transition(post('submitted'), action, AUTHOR, FOUR_EYES), ForbiddenError, action)
    assert.throws(() => transition(post('submitted'), action, OTHER, FOUR_EYES), ForbiddenError, action)
  }
  assert.throws(() => transition(post('published'), 'withdraw', AUTHOR, FOUR_EYES), ForbiddenError)
  assert.throws(() => transition(post('published'), 'pin', AUTHOR, FOUR_EYES), ForbiddenError)
})

test('four eyes: an editor cannot approve their own post; without the rule they can', () => {
  const own = post('submitted')
  for (const action of ['publish', 'schedule'] as const) {
    assert.throws(() => transition(own, action, EDITOR_AUTHOR, FOUR_EYES), (err) => err instanceof ConflictError && err.messageKey === 'editorial.fourEyes')
    assert.equal(transition(own, action, EDITOR_AUTHOR, NO_FOUR_EYES).from, 'submitted')
  }
  assert.throws(() => transition(post('published', 'submitted'), 'publish', EDITOR_AUTHOR, FOUR_EYES), ConflictError)
  assert.equal(canApprove(own, EDITOR_AUTHOR, FOUR_EYES), false)
  assert.equal(canApprove(own, EDITOR, FOUR_EYES), true)
  // Requesting changes on one's own post is not an approval.
  assert.equal(transition(own, 'request-changes', EDITOR_AUTHOR, FOUR_EYES).to, 'changes_requested')
})

test('only the author submits or retracts', () => {
  assert.throws(() => transition(post('draft'), 'submit', OTHER, FOUR_EYES), ForbiddenError)
  assert.throws(() => transition(post('draft'), 'submit', EDITOR, FOUR_EYES), ForbiddenError)
  assert.throws(() => transition(post('submitted'), 'retract', EDITOR, FOUR_EYES), ForbiddenError)
  assert.throws(() => transition(post('draft'), 'delete', OTHER, FOUR_EYES), ForbiddenError)
  assert.throws(() => transition(post('draft'), 'delete', EDITOR, FOUR_EYES), ForbiddenError, 'a draft never sent is the author\'s alone')
})

test('actions that do not fit the state are refused', () => {
  const refused: [PostStatus, EditorialAction, typeof AUTHOR | null][] = [
    ['draft', 'publish', EDITOR], ['draft', 'schedule', EDITOR], ['draft', 'reject', EDITOR], ['draft', 'retract', AUTHOR],
    ['submitted', 'submit', AUTHOR], ['published', 'submit', AUTHOR], ['rejected', 'submit', AUTHOR], ['scheduled', 'submit', AUTHOR],
    ['published', 'publish', EDITOR], ['rejected', 'publish', EDITOR], ['withdrawn', 'publish', EDITOR],
    ['scheduled', 'schedule', EDITOR], ['draft', 'withdraw', EDITOR], ['withdrawn', 'withdraw', EDITOR],
    ['draft', 'pin', EDITOR], ['scheduled', 'pin', EDITOR], ['published', 'delete', EDITOR], ['scheduled', 'delete', AUTHOR],
    ['submitted', 'delete', AUTHOR], ['submitted', 'publish', null], ['draft', 'publish', null],
  ]
  for (const [status, action, actor] of refused) {
    assert.throws(() => transition(post(status), action, actor, FOUR_EYES), ConflictError, `${status} ${action}`)
  }
  assert.throws(() => transition(post('published', 'draft'), 'schedule', EDITOR, FOUR_EYES), ConflictError, 'changes are not scheduled')
  assert.throws(() => transition(post('published', 'draft'), 'publish', EDITOR, FOUR_EYES), ConflictError, 'a draft change is not approved')
})

test('edit modes: the author works on the row, or on a pending change of a live post', () => {
  for (const status of ['draft', 'changes_requested', 'withdrawn'] as const) assert.equal(editMode(post(status), AUTHOR, FOUR_EYES), 'row')
  assert.equal(editMode(post('published'), AUTHOR, FOUR_EYES), 'pending')
  assert.equal(editMode(post('scheduled'), AUTHOR, FOUR_EYES), 'pending')
  assert.equal(editMode(post('published', 'rejected'), AUTHOR, FOUR_EYES), 'pending')
  // Editors change live posts directly, except their own under four eyes.
  assert.equal(editMode(post('published'), EDITOR, FOUR_EYES), 'live')
  assert.equal(editMode(post('published'), EDITOR_AUTHOR, FOUR_EYES), 'pending')
  assert.equal(editMode(post('published'), EDITOR_AUTHOR, NO_FOUR_EYES), 'live')
})

test('edit modes: what nobody may edit now', () => {
  assert.throws(() => editMode(post('draft'), OTHER, FOUR_EYES), ForbiddenError, "someone else's draft")
  assert.throws(() => editMode(post('draft'), EDITOR, FOUR_EYES), ForbiddenError, "an editor does not edit someone else's draft")
  assert.throws(() => editMode(post('published'), OTHER, FOUR_EYES), ForbiddenError)
  assert.throws(() => editMode(post('submitted'), AUTHOR, FOUR_EYES), (e) => e instanceof ConflictError && e.messageKey === 'editorial.edit.submitted')
  assert.throws(() => editMode(post('rejected'), AUTHOR, FOUR_EYES), (e) => e instanceof ConflictError && e.messageKey === 'editorial.edit.rejected')
  assert.throws(() => editMode(post('published', 'submitted'), AUTHOR, FOUR_EYES), ConflictError)
  assert.throws(() => editMode(post('published', 'draft'), EDITOR, FOUR_EYES), (e) => e instanceof ConflictError && e.messageKey === 'editorial.edit.pendingExists')
  assert.throws(() => editMode(post('draft'), null, FOUR_EYES), ForbiddenError)
})

test('review state names', () => {
  assert.equal(reviewState(post('submitted')), 'submitted')
  assert.equal(reviewState(post('published', 'submitted')), 'edit:submitted')
  assert.equal(reviewState(post('published')), 'published')
})
