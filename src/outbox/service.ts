// The outbox's API for features: enqueue inside the transaction of the event, and the
// administrators' retry. See README.md.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { appendAuditEvent } from '../audit/chain.js'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.js'
import type { CurrentUser } from '../users/user.js'
import { findOutboxMessage, insertOutboxMessage, resetOutboxMessage } from './queries.js'
import { channelEnabled } from './registry.js'

export interface NewOutboxMessage {
  channel: string
  /** What the message is, for the sender and the administration page: 'notification', 'invitation' … */
  kind: string
  /**
   * Unique per event and recipient, e.g. `notification:123`: the same key is never queued twice, so
   * a retried request or a job run twice sends nothing more.
   */
  key: string
  /** Who it goes to, as administrators should read it: 'user:12', a URL. Never a secret. */
  recipient: string
  /** What the sender needs, as JSON. Prefer ids to copies; never a secret token (derive it when sending). */
  payload?: Record<string, unknown>
  /** Not sent before this time. */
  notBefore?: Date
}

/**
 * Queues a message. Call inside the transaction of the event that causes it: the message exists
 * exactly when the event does. Returns false when nothing was queued: the channel is not configured
 * on this server, or a message with this key exists already.
 */
export async function enqueue(trx: Kysely<DB>, m: NewOutboxMessage, now = new Date()): Promise<boolean> {
  if (!channelEnabled(trx, m.channel)) return false
  const iso = now.toISOString()
  return insertOutboxMessage(trx, {
    channel: m.channel, kind: m.kind, key: m.key, recipient: m.recipient, payload: JSON.stringify(m.payload ?? {}),
    dueAt: (m.notBefore ?? now).toISOString(), now: iso,
  })
}

/** An administrator sends a failed (or waiting) message again now, with a fresh count of attempts. */
export async function retryOutboxMessage(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<void> {
  if (!actor.isAdmin) throw new ForbiddenError('admin role required')
  await db.transaction().execute(async (trx) => {
    const row = await findOutboxMessage(trx, id)
    if (!row) throw new NotFoundError('outbox message')
    if (!(await resetOutboxMessage(trx, id, now.toISOString()))) throw new ConflictError('not retryable', 'outbox.notRetryable')
    await appendAuditEvent(trx, {
      actor: { id: actor.id, name: actor.username }, action: 'outbox.retry', subjectType: 'outbox', subjectId: id,
      fromState: row.status, toState: 'pending', note: `${row.channel}/${row.kind} → ${row.recipient}`, at: now.toISOString(),
    })
  })
}
