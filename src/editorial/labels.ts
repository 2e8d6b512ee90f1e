// Readable names for the states and actions stored in the audit trail ("edit:submitted",
// "scheduled@2026-05-01T08:00:00.000Z", "post.request-changes").
import type { MessageKey, Translate } from '../web/i18n/index.js'
import type { Formatter } from '../web/i18n/format.js'

const STATES = ['draft', 'submitted', 'changes_requested', 'scheduled', 'published', 'rejected', 'withdrawn', 'deleted']

export function stateLabel(t: Translate, fmt: Formatter, state: string | null): string {
  if (!state) return ''
  const [name = '', at] = state.split('@')
  const edit = name.startsWith('edit:')
  const base = edit ? name.slice(5) : name
  let label = STATES.includes(base) ? t(`posts.status.${base}` as MessageKey) : base
  if (at && !Number.isNaN(Date.parse(at))) label += ` (${fmt.dateTime(at)})`
  return edit ? t('posts.pendingChangeState', { state: label }) : label
}

const ACTIONS = ['submit', 'retract', 'publish', 'approve', 'schedule', 'request-changes', 'reject', 'withdraw', 'pin', 'unpin', 'edit', 'delete']

export function actionLabel(t: Translate, action: string): string {
  const name = action.replace(/^post\./, '')
  return ACTIONS.includes(name) ? t(`audit.post.${name}` as MessageKey) : action
}
