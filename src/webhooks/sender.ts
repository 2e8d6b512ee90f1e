// The outbox's 'webhook' sender: builds the body at send time, posts it through the one guarded
// client (src/outgoing) and records each attempt with the receiver's answer. A refusal by the guard
// or a 4xx answer is final; a 5xx, 408, 429, time-out or network error is retried by the outbox.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { OutgoingClient } from '../outgoing/client.js'
import { OutgoingRefusedError } from '../outgoing/client.js'
import { PermanentSendError, type OutboxMessage, type Sender } from '../outbox/registry.js'
import { translator } from '../web/i18n/index.js'
import { findWebhook, insertDelivery } from './queries.js'
import { announcementOf } from './announce.js'
import { formatBody, type WebhookFormat } from './format.js'
import { signatureHeaders } from './sign.js'

const TIMEOUT_MS = 10_000
const MAX_RESPONSE = 64 * 1024
const KEPT_RESPONSE = 500
const RETRYABLE = new Set([408, 425, 429])
const FINAL_REFUSALS = new Set(['invalid-url', 'scheme', 'host-not-allowed', 'address-not-allowed', 'too-many-redirects'])

export function webhookSender(deps: { db: Kysely<DB>; baseUrl: string; outgoing: OutgoingClient }): Sender {
  const t = translator('nb') // the site's own language: a channel is read by many
  return {
    async send(m: OutboxMessage) {
      const hook = await findWebhook(deps.db, Number(m.payload.webhookId))
      if (!hook) return { skipped: 'the webhook was deleted' }
      if (!hook.active && m.kind !== 'webhook.test') return { skipped: 'the webhook is switched off' }
      const now = new Date()
      const found = await announcementOf(deps.db, t, deps.baseUrl, String(m.payload.event), Number(m.payload.subjectId), hook.name, now)
      if ('skipped' in found) return found
      const body = formatBody(hook.format as WebhookFormat, found, t)
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' }
      if (hook.format === 'json') Object.assign(headers, signatureHeaders(hook.secret, m.key, Math.floor(now.getTime() / 1000), body))

      const started = Date.now()
      const record = (statusCode: number | null, response: string | null, error: string | null) => insertDelivery(deps.db, {
        webhookId: hook.id, outboxId: m.id, event: m.kind, attempt: m.attempt, at: now.toISOString(),
        statusCode, response, error, durationMs: Date.now() - started,
      })
      let res
      try {
        res = await deps.outgoing({ url: hook.url, allowHosts: 'any', method: 'POST', headers, body, timeoutMs: TIMEOUT_MS, maxBytes: MAX_RESPONSE, maxRedirects: 0 })
      } catch (err) {
        const refused = err instanceof OutgoingRefusedError ? err.reason : undefined
        await record(null, null, refused ?? String((err as Error).message ?? err).slice(0, 300))
        if (refused && FINAL_REFUSALS.has(refused)) throw new PermanentSendError(`refused: ${refused}`)
        throw err
      }
      const answer = res.body.toString('utf8').slice(0, KEPT_RESPONSE)
      const ok = res.status >= 200 && res.status < 300
      await record(res.status, answer, ok ? null : `HTTP ${res.status}`)
      if (ok) return 'sent'
      if (res.status >= 500 || RETRYABLE.has(res.status)) throw new Error(`HTTP ${res.status}`)
      throw new PermanentSendError(`HTTP ${res.status}`)
    },
  }
}
