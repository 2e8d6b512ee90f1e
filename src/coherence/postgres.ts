// The change feed on PostgreSQL: LISTEN on a connection of its own. Migration 0211's triggers NOTIFY
// the channel cache_changes with each changed scope; PostgreSQL delivers a notification to every
// listening process when (and only if) its transaction commits. Notifications arrive by themselves;
// catchUp(), awaited before every request, makes one round trip on the listening connection, and
// PostgreSQL sends every notification committed before that ahead of its answer: a request sees every
// change committed before it began, by this or any other instance, a job or the CLI.
//
// No listening connection (not yet, or lost): every sync() counts as a change to everything, so
// nothing cached outlives its request; on (re)connecting everything counts as changed once, since
// notifications sent meanwhile are lost.
import type pg from 'pg'
import { loadPg } from '../db/postgres/open.js'
import type { ChangeFeed } from './index.js'
import { lastChangeOf } from './scopes.js'

const CHANNEL = 'cache_changes'
const RETRY_MS = 1_000
/** A round trip that takes longer means the connection is lost: caches go off until it is back. */
const TIMEOUT_MS = 5_000
/** Scopes remembered one by one; past this, everything older counts as changed (see floor). */
const MAX_SCOPES = 20_000

export function postgresChangeFeed(url: string, onChange?: () => void): ChangeFeed {
  const scopes = new Map<string, number>()
  let seq = 0
  let floor = 0 // changes up to here are not known scope by scope: a change to everything
  let synced = 0
  let listening: pg.Client | undefined
  let connecting: Promise<void> | undefined
  let retry: NodeJS.Timeout | undefined
  let closed = false
  let running: Promise<void> | undefined
  let queued: Promise<void> | undefined

  const everything = () => {
    scopes.clear()
    floor = ++seq
  }

  function connect(): void {
    const client = new (loadPg().Client)({
      connectionString: url, application_name: 'betablogg-changes', keepAlive: true,
      connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS,
    })
    client.on('notification', (n) => {
      scopes.set(n.payload || '*', ++seq)
      if (scopes.size > MAX_SCOPES) everything()
    })
    client.on('error', () => lost(client))
    client.on('end', () => lost(client))
    connecting = (async () => {
      try {
        await client.connect()
        await client.query(`listen ${CHANNEL}`)
        if (closed) return void (await client.end())
        listening = client
        everything()
      } catch {
        client.end().catch(() => {})
      } finally {
        connecting = undefined
        tryAgainLater()
      }
    })()
  }

  function lost(client: pg.Client): void {
    if (listening === client) listening = undefined
    client.end().catch(() => {})
    tryAgainLater()
  }

  function tryAgainLater(): void {
    if (!closed && !connecting && !listening && !retry) retry = setTimeout(() => { retry = undefined; connect() }, RETRY_MS).unref()
  }

  async function roundTrip(): Promise<void> {
    const client = listening
    if (!client) return connecting
    try {
      await client.query('select 1')
    } catch {
      lost(client)
    }
  }

  // One round trip at a time: a request that comes while one is on its way waits for the next, which
  // starts after it came (the one on its way may have been sent before the change it must see).
  function catchUp(): Promise<void> {
    if (!running) {
      running = roundTrip().finally(() => { running = undefined })
      return running
    }
    queued ??= running.then(() => {
      queued = undefined
      return catchUp()
    })
    return queued
  }

  connect()
  return {
    catchUp,
    sync() {
      if (!listening) everything()
      if (seq !== synced) {
        synced = seq
        onChange?.()
      }
      return seq
    },
    lastChange: (names) => lastChangeOf(scopes, floor, seq, names),
    // Every change to `scopes` or `floor` above moves `seq` (ChangeFeed.newest).
    newest: () => seq,
    // catchUp() ran before the request read anything; without a listening connection every sync()
    // is a change to everything.
    upToDate: () => true,
    // Nothing is logged on PostgreSQL: the notifications are the log.
    prune: async () => {},
    async close() {
      closed = true
      clearTimeout(retry)
      await connecting
      await listening?.end().catch(() => {})
      listening = undefined
    },
  }
}
