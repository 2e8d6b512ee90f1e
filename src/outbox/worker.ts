// The outbox worker: claims due messages atomically, hands each to its channel's sender, and records
// the outcome. A failure is retried with exponential backoff; after maxAttempts it is parked as
// failed for an administrator to look at. A claim holds a lease: if this process dies mid-send (kill
// -9, power loss), the message is claimed again once the lease has run out, so nothing is lost. A
// message is sent twice only if the process dies after the receiver accepted it and before the
// outcome is written: the receiver gets the same Message-ID both times (src/mail) and can drop it.
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { OutboxConfig } from '../config.js'
import type { DB } from '../db/schema.js'
import { DEFAULT_JOB_LEASE_MS, type Job } from '../jobs/scheduler.js'
import { claimDueMessages, finishClaim } from './queries.js'
import { PermanentSendError, registeredChannels, senderFor, type OutboxMessage } from './registry.js'

const BATCH = 20
const MAX_DELAY_MS = 86_400_000
const MAX_ERROR_CHARS = 2000

/** The wait before attempt `attempt + 1`: base, 2×base, 4×base … capped at a day. */
export function backoffMs(policy: OutboxConfig, attempt: number): number {
  return Math.min(MAX_DELAY_MS, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1))
}

function parsePayload(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

function describeError(err: unknown): string {
  const e = err as { message?: string; code?: string; responseCode?: number }
  const parts = [e.code, e.responseCode, e.message ?? String(err)].filter((x) => x !== undefined && x !== '')
  return parts.join(' ').slice(0, MAX_ERROR_CHARS)
}

export interface OutboxRun { sent: number; failed: number; retried: number }

/** Sends what is due now; returns when nothing due is left (or after `maxRounds` batches). */
export async function processOutbox(db: Kysely<DB>, policy: OutboxConfig, log?: FastifyBaseLogger, maxRounds = 50): Promise<OutboxRun> {
  const run: OutboxRun = { sent: 0, failed: 0, retried: 0 }
  const channels = registeredChannels(db)
  if (!channels.length) return run
  const claimToken = randomUUID()
  for (let round = 0; round < maxRounds; round++) {
    const now = new Date()
    const rows = await claimDueMessages(db, channels, claimToken, now.toISOString(), new Date(now.getTime() + policy.leaseMs).toISOString(), BATCH)
    if (!rows.length) break
    for (const row of rows) {
      const message: OutboxMessage = {
        id: row.id, channel: row.channel, kind: row.kind, key: row.idempotency_key, recipient: row.recipient,
        payload: parsePayload(row.payload), attempt: row.attempts, createdAt: row.created_at,
      }
      const at = () => new Date().toISOString()
      try {
        if (row.attempts > policy.maxAttempts) throw new PermanentSendError('claimed too often without finishing (the sender died each time)')
        const sender = senderFor(db, row.channel)
        if (!sender) throw new Error(`no sender for channel ${row.channel} (the server is closing)`)
        const outcome = await sender.send(message)
        const skipped = outcome !== 'sent'
        await finishClaim(db, row.id, claimToken, { status: skipped ? 'skipped' : 'sent', now: at(), error: skipped ? outcome.skipped : null })
        run.sent++
      } catch (err) {
        const error = describeError(err)
        const park = err instanceof PermanentSendError || row.attempts >= policy.maxAttempts
        if (park) {
          await finishClaim(db, row.id, claimToken, { status: 'failed', now: at(), error })
          run.failed++
          log?.warn({ outboxId: row.id, channel: row.channel, kind: row.kind, attempts: row.attempts, error }, 'outbox message failed for good')
        } else {
          const next = new Date(Date.now() + backoffMs(policy, row.attempts)).toISOString()
          await finishClaim(db, row.id, claimToken, { status: 'pending', now: at(), error, nextAttemptAt: next })
          run.retried++
          log?.info({ outboxId: row.id, channel: row.channel, attempts: row.attempts, next, error }, 'outbox message will be retried')
        }
      }
    }
  }
  return run
}

export function outboxJob(policy: OutboxConfig): Job {
  return {
    name: 'outbox',
    intervalMs: policy.pollMs,
    concurrent: true, // each message is claimed by itself: instances may send side by side
    // A message whose sender died is sent again after OUTBOX_LEASE_MS: the job must be free by then.
    leaseMs: Math.min(DEFAULT_JOB_LEASE_MS, policy.leaseMs),
    async run(app) {
      const r = await processOutbox(app.db, policy, app.log)
      if (r.sent || r.failed) app.log.info(r, 'outbox sent')
    },
  }
}
