// The events a webhook can follow, and queueing them: a feature calls queueWebhooks(trx, …) inside
// the transaction of its event, so a delivery exists exactly when the event does (src/outbox).
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { enqueue } from '../outbox/service.js'
import { listActiveWebhooks } from './queries.js'

export const WEBHOOK_EVENTS = ['post.published', 'comment.created', 'update.tagged'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]
export const WEBHOOK_CHANNEL = 'webhook'

export function isWebhookEvent(s: string): s is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(s)
}

export interface EventOccurrence {
  event: WebhookEvent
  /** The post, comment or update. */
  subjectId: number
  /** Tags of the content (a comment: its post's); a function is called only if a webhook filters by tag. */
  tags: string[] | (() => Promise<string[]>)
  /** Makes a second occurrence of the same event distinct (a post published again after a withdrawal). */
  version?: number | string
}

/** Queues one delivery per active webhook that follows this event (and, if it names a tag, has it). */
export async function queueWebhooks(trx: Kysely<DB>, e: EventOccurrence, now = new Date()): Promise<void> {
  const hooks = (await listActiveWebhooks(trx)).filter((h) => h.events.split(' ').includes(e.event))
  let tags: Set<string> | undefined
  for (const hook of hooks) {
    if (hook.tag) {
      tags ??= new Set((typeof e.tags === 'function' ? await e.tags() : e.tags).map((t) => t.toLowerCase()))
      if (!tags.has(hook.tag.toLowerCase())) continue
    }
    await enqueue(trx, {
      channel: WEBHOOK_CHANNEL, kind: e.event,
      key: `webhook:${hook.id}:${e.event}:${e.subjectId}${e.version !== undefined ? `:${e.version}` : ''}`,
      recipient: `webhook:${hook.id}`, payload: { webhookId: hook.id, event: e.event, subjectId: e.subjectId },
    }, now)
  }
}

/** A test delivery an administrator asked for. */
export async function queueTestDelivery(db: Kysely<DB>, webhookId: number, now = new Date()): Promise<boolean> {
  return enqueue(db, {
    channel: WEBHOOK_CHANNEL, kind: 'webhook.test', key: `webhook:${webhookId}:test:${now.getTime()}`,
    recipient: `webhook:${webhookId}`, payload: { webhookId, event: 'webhook.test', subjectId: 0 },
  }, now)
}
