// Which channels this server can send on, per database. A feature calls enqueue(trx, …) with only a
// transaction in hand; whether e-mail is configured is a fact about the running server, so the
// senders are registered against the database handle (its dialect adapter, shared by every
// transaction of that handle). A server without mail registers no 'email' sender and e-mail is
// never queued; tests build several apps in one process and each sees only its own senders.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

export interface OutboxMessage {
  id: number
  channel: string
  kind: string
  key: string
  recipient: string
  payload: Record<string, unknown>
  /** 1 on the first try. */
  attempt: number
  createdAt: string
}

/** What a sender may answer besides throwing (which means: try again later). */
export type SendOutcome = 'sent' | { skipped: string }

export interface Sender {
  send(message: OutboxMessage): Promise<SendOutcome>
}

/** Thrown by a sender when retrying cannot help (e.g. the receiver refused the address for good). */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PermanentSendError'
  }
}

const registries = new WeakMap<object, Map<string, Sender>>()

function keyOf(db: Kysely<DB>): object {
  return db.getExecutor().adapter
}

export function registerSender(db: Kysely<DB>, channel: string, sender: Sender): void {
  const key = keyOf(db)
  const map = registries.get(key) ?? new Map<string, Sender>()
  map.set(channel, sender)
  registries.set(key, map)
}

export function unregisterSenders(db: Kysely<DB>): void {
  registries.delete(keyOf(db))
}

export function senderFor(db: Kysely<DB>, channel: string): Sender | undefined {
  return registries.get(keyOf(db))?.get(channel)
}

export function registeredChannels(db: Kysely<DB>): string[] {
  return [...(registries.get(keyOf(db))?.keys() ?? [])]
}

/** True when this server sends on `channel` (e.g. e-mail is configured). */
export function channelEnabled(db: Kysely<DB>, channel: string): boolean {
  return senderFor(db, channel) !== undefined
}
