// How a person gets each kind of notification when the server sends e-mail: in the site only, by
// e-mail at once, in the daily digest — or not at all (the opt-outs of service.ts). Without mail
// configured only on/off is offered, and these choices are kept but unused.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { ConflictError } from '../errors.js'
import { findMailPreference, listMailPreferences, listOptouts, replaceOptouts, upsertMailPreferences } from './queries.js'
import { EDITOR_KINDS, MANDATORY_KINDS, USER_KINDS, type NotificationKind } from './service.js'

export type Delivery = 'site' | 'email' | 'digest'
export type Choice = Delivery | 'off'
export const DELIVERIES: readonly Delivery[] = ['site', 'email', 'digest']

/** Editorial decisions, mentions, review reminders and the monthly summary come at once; the rest wait for the daily digest. */
const AT_ONCE: ReadonlySet<string> = new Set(['mention', 'editorial.decision', 'post.review', 'stats.summary'])

export function defaultDelivery(kind: string): Delivery {
  return AT_ONCE.has(kind) ? 'email' : 'digest'
}

function asDelivery(kind: string, stored: string | undefined): Delivery {
  return (DELIVERIES as readonly string[]).includes(stored ?? '') ? (stored as Delivery) : defaultDelivery(kind)
}

export async function deliveryOf(db: Kysely<DB>, userId: number, kind: string): Promise<Delivery> {
  return asDelivery(kind, await findMailPreference(db, userId, kind))
}

/** Every kind's delivery for one person (for the digest: which unread notifications belong in it). */
export async function deliveriesOf(db: Kysely<DB>, userId: number): Promise<(kind: string) => Delivery> {
  const prefs = await listMailPreferences(db, userId)
  return (kind) => asDelivery(kind, prefs.get(kind))
}

export async function wantsWeekly(db: Kysely<DB>, userId: number): Promise<boolean> {
  return (await findMailPreference(db, userId, 'weekly')) !== 'off'
}

function offeredKinds(user: { isEditor: boolean }): NotificationKind[] {
  return [...USER_KINDS, ...(user.isEditor ? EDITOR_KINDS : [])]
}

/** The settings page with e-mail: each kind's choice, and the weekly digest. */
export async function deliveryPreferences(db: Kysely<DB>, user: { id: number; isEditor: boolean }) {
  const off = new Set(await listOptouts(db, user.id))
  const delivery = await deliveriesOf(db, user.id)
  const kinds = offeredKinds(user).map((kind) => {
    const mandatory = MANDATORY_KINDS.includes(kind)
    const choice: Choice = !mandatory && off.has(kind) ? 'off' : delivery(kind)
    return { kind, choice, mandatory }
  })
  return { kinds, weekly: await wantsWeekly(db, user.id) }
}

/** Saves the choices of the settings page; a kind not sent keeps its current choice. */
export async function saveDeliveryPreferences(
  db: Kysely<DB>, user: { id: number; isEditor: boolean }, choices: Record<string, string>, weekly: boolean,
): Promise<void> {
  const offered = offeredKinds(user)
  for (const [kind, choice] of Object.entries(choices)) {
    if (!offered.includes(kind as NotificationKind)) throw new ConflictError('unknown notification kind')
    const allowed: string[] = MANDATORY_KINDS.includes(kind as NotificationKind) ? [...DELIVERIES] : [...DELIVERIES, 'off']
    if (!allowed.includes(choice)) throw new ConflictError('unknown delivery')
  }
  await db.transaction().execute(async (trx) => {
    const off = offered.filter((k) => choices[k] === 'off')
    const keptOff = (await listOptouts(trx, user.id)).filter((k) => choices[k] === undefined)
    await replaceOptouts(trx, user.id, [...new Set([...off, ...keptOff])])
    await upsertMailPreferences(trx, user.id, [
      ...Object.entries(choices).filter(([, c]) => c !== 'off'),
      ['weekly', weekly ? 'email' : 'off'],
    ])
  })
}

/** From an unsubscribe link: this kind no longer by e-mail (it stays in the site). */
export async function stopEmailFor(db: Kysely<DB>, userId: number, scope: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (scope === 'weekly') return upsertMailPreferences(trx, userId, [['weekly', 'off']])
    if (scope === 'daily') {
      // Every kind that went to the daily digest stays in the site instead.
      const delivery = await deliveriesOf(trx, userId)
      const all = [...USER_KINDS, ...EDITOR_KINDS]
      return upsertMailPreferences(trx, userId, all.filter((k) => delivery(k) === 'digest').map((k) => [k, 'site']))
    }
    if (scope === 'all') {
      await upsertMailPreferences(trx, userId, [...[...USER_KINDS, ...EDITOR_KINDS].map((k): [string, string] => [k, 'site']), ['weekly', 'off']])
      return
    }
    return upsertMailPreferences(trx, userId, [[scope, 'site']])
  })
}
