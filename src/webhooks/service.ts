// Administrators' changes to webhooks: validated, one transaction each, in the audit trail. The URL
// is never written to the audit trail or the log: Teams and Slack put their secret in it.
import type { Kysely } from 'kysely'
import { isIP } from 'node:net'
import type { DB } from '../db/schema.js'
import { appendAuditEvent } from '../audit/chain.js'
import { InvalidError, NotFoundError, type FieldErrors } from '../errors.js'
import { bareHost, hostMatches, isBlockedAddress } from '../outgoing/addresses.js'
import type { CurrentUser } from '../users/user.js'
import { isWebhookEvent, queueTestDelivery, type WebhookEvent } from './events.js'
import { WEBHOOK_FORMATS, type WebhookFormat } from './format.js'
import { deleteWebhook, findWebhook, insertWebhook, updateWebhook } from './queries.js'
import { newWebhookSecret } from './sign.js'

export interface WebhookInput { name: string; url: string; format: string; events: string[]; tag: string; active: boolean }
interface Valid { name: string; url: string; format: WebhookFormat; events: WebhookEvent[]; tag: string | null; active: boolean }

const NAME_MAX = 100
const URL_MAX = 2000

/** Checks the form; throws InvalidError with a message per field. */
export function validateWebhook(input: WebhookInput, allowPrivate: readonly string[]): Valid {
  const errors: FieldErrors = {}
  const name = input.name.trim()
  if (!name) errors.name = 'webhooks.name.required'
  else if ([...name].length > NAME_MAX) errors.name = 'webhooks.name.tooLong'
  const url = input.url.trim()
  const urlProblem = checkTarget(url, allowPrivate)
  if (urlProblem) errors.url = urlProblem
  const format = (WEBHOOK_FORMATS as readonly string[]).includes(input.format) ? (input.format as WebhookFormat) : undefined
  if (!format) errors.format = 'webhooks.format.required'
  const events = [...new Set(input.events)].filter(isWebhookEvent)
  if (!events.length) errors.events = 'webhooks.events.required'
  const tag = input.tag.trim().replace(/^#/, '').toLowerCase()
  if ([...tag].length > 100 || /\s/.test(tag)) errors.tag = 'webhooks.tag.invalid'
  if (Object.keys(errors).length) throw new InvalidError(errors)
  return { name, url, format: format!, events, tag: tag || null, active: input.active }
}

type UrlProblem = 'webhooks.url.invalid' | 'webhooks.url.private'

/**
 * What is wrong with a target, seen from its text. A name that resolves to a private address is
 * refused again when sending (src/outgoing checks every resolved address).
 */
export function checkTarget(url: string, allowPrivate: readonly string[]): UrlProblem | undefined {
  if (!url || url.length > URL_MAX) return 'webhooks.url.invalid'
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'webhooks.url.invalid'
  }
  if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password || !u.hostname) return 'webhooks.url.invalid'
  const host = bareHost(u.hostname)
  const local = host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isBlockedAddress(host))
  if (local && !hostMatches(host, allowPrivate)) return 'webhooks.url.private'
  return undefined
}

function audit(db: Kysely<DB>, actor: CurrentUser, action: string, id: number, to?: Valid) {
  return appendAuditEvent(db, {
    actor: { id: actor.id, name: actor.username }, action, subjectType: 'webhook', subjectId: id,
    toState: to ? JSON.stringify({ name: to.name, host: new URL(to.url).host, format: to.format, events: to.events, tag: to.tag, active: to.active }) : null,
  })
}

export async function createWebhook(db: Kysely<DB>, actor: CurrentUser, input: WebhookInput, allowPrivate: readonly string[], now = new Date()): Promise<number> {
  const v = validateWebhook(input, allowPrivate)
  const iso = now.toISOString()
  return db.transaction().execute(async (trx) => {
    const id = await insertWebhook(trx, {
      name: v.name, url: v.url, format: v.format, events: v.events.join(' '), tag: v.tag, secret: newWebhookSecret(),
      active: v.active ? 1 : 0, created_by: actor.id, created_at: iso, updated_at: iso,
    })
    await audit(trx, actor, 'webhook.create', id, v)
    return id
  })
}

export async function changeWebhook(db: Kysely<DB>, actor: CurrentUser, id: number, input: WebhookInput, allowPrivate: readonly string[], now = new Date()): Promise<void> {
  const v = validateWebhook(input, allowPrivate)
  await db.transaction().execute(async (trx) => {
    if (!(await findWebhook(trx, id))) throw new NotFoundError('webhook')
    await updateWebhook(trx, id, { name: v.name, url: v.url, format: v.format, events: v.events.join(' '), tag: v.tag, active: v.active ? 1 : 0, updated_at: now.toISOString() })
    await audit(trx, actor, 'webhook.update', id, v)
  })
}

export async function removeWebhook(db: Kysely<DB>, actor: CurrentUser, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findWebhook(trx, id))) throw new NotFoundError('webhook')
    await deleteWebhook(trx, id)
    await audit(trx, actor, 'webhook.delete', id)
  })
}

export async function renewWebhookSecret(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findWebhook(trx, id))) throw new NotFoundError('webhook')
    await updateWebhook(trx, id, { secret: newWebhookSecret(), updated_at: now.toISOString() })
    await audit(trx, actor, 'webhook.secret', id)
  })
}

/** Queues a test delivery now (whether or not the webhook is switched on). */
export async function sendTest(db: Kysely<DB>, actor: CurrentUser, id: number, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await findWebhook(trx, id))) throw new NotFoundError('webhook')
    await queueTestDelivery(trx, id, now)
    await audit(trx, actor, 'webhook.test', id)
  })
}
