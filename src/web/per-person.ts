// Values about one person, kept in memory until their scope changes (src/coherence).
//
// Some things on every page are one person's and change seldom: the unread count in the header, the
// feed key in the links, whether they have guidelines to accept. Reading them for each page is a
// query each; keeping them is safe when each names the scopes its changes are logged under
// ('notifications:<id>', 'feed-keys:<id>', 'guidelines' …): a value is used only while nothing in
// its scopes changed after the change the request started from (req.changeSeen), whichever process
// made the change. A value read while a change was being made is
// kept as of before it, so it is read again on the next request.
import type { FastifyRequest } from 'fastify'
import { changedSince } from '../coherence/index.js'

interface Kept<V> { value: V; made: number }

export class PerPerson<V> {
  private readonly values = new Map<number, Kept<V>>()

  /** `scopes`: where changes to a person's value are logged (any of them makes it read again). */
  constructor(private readonly scopes: (id: number) => readonly string[], private readonly max = 10_000) {}

  /** This person's value for this request: kept, or read by `read` (and kept). */
  async get(req: FastifyRequest, id: number, read: () => Promise<V>): Promise<V> {
    const made = req.changeSeen
    const kept = this.values.get(id)
    if (kept && !changedSince(req.server.changes, this.scopes(id), kept.made)) return kept.value
    const value = await read()
    if (this.values.size >= this.max) this.values.delete(this.values.keys().next().value!)
    this.values.set(id, { value, made })
    return value
  }
}
