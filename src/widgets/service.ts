// What administrators change about widgets: who may frame them, and the key internal sites need.
// Each change is in the audit trail.
import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { SettingsStore } from '../settings/store.js'
import { appendAuditEvent } from '../audit/chain.js'
import { InvalidError } from '../errors.js'
import { deriveWidgetKey } from './key.js'
import { parseOrigins } from './origins.js'

interface Actor { id: number; username: string }

export async function saveWidgetOrigins(db: Kysely<DB>, settings: SettingsStore, actor: Actor, text: string): Promise<string[]> {
  const parsed = parseOrigins(text)
  if ('problem' in parsed) throw new InvalidError({ origins: parsed.problem })
  const before = (await settings.get()).widgetOrigins
  await settings.update({ widgetOrigins: parsed.origins }, actor.id)
  await appendAuditEvent(db, {
    actor: { id: actor.id, name: actor.username }, action: 'widgets.origins', subjectType: 'settings', subjectId: 0,
    fromState: before.join(' '), toState: parsed.origins.join(' '),
  })
  return parsed.origins
}

/** The site's widget key; a nonce is drawn the first time one is needed. */
export async function widgetKey(settings: SettingsStore, secret: string, actorId: number): Promise<string> {
  let nonce = (await settings.get()).widgetKeyNonce
  if (!nonce) {
    nonce = randomBytes(16).toString('base64url')
    await settings.update({ widgetKeyNonce: nonce }, actorId)
  }
  return deriveWidgetKey(secret, nonce)
}

/** A new key: every widget address given out before stops working. */
export async function renewWidgetKey(db: Kysely<DB>, settings: SettingsStore, actor: Actor): Promise<void> {
  await settings.update({ widgetKeyNonce: randomBytes(16).toString('base64url') }, actor.id)
  await appendAuditEvent(db, {
    actor: { id: actor.id, name: actor.username }, action: 'widgets.key.renew', subjectType: 'settings', subjectId: 0,
  })
}
