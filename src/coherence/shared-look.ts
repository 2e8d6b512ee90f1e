// One look for commits shared by the requests read in one turn of the event loop.
//
// A request must see every change committed before it began, so each looked for commits itself: on
// SQLite one pread of the WAL-index header, 5–8 µs of a kept page's 45–60 over HTTP on this VM.
// Requests read in the same poll phase can share one look made after all of them were read:
// setImmediate runs in the check phase, after every read of the poll phase before it (libuv may wait
// for events more than once within one phase; every request read there still comes first). The look
// so always follows the start of every request that shares it. Looking when the first of them was
// read instead would miss a commit made between that read and a later one.

import type { ChangeFeed } from './index.js'

export type AfterLook = (err: Error | null, seen: number) => void

/**
 * `whenSynced(then)`: `then` runs after a sync() of the feed made after this call, shared with the
 * calls of the same turn; a failed sync() reaches each of them. A `then` must not throw: one that
 * does is reported to `thrown`, and the others still run. They all run in the async context of the
 * turn's first call (binding each to its own costs 4–20 µs here; nothing uses AsyncLocalStorage).
 */
export function sharedSync(feed: ChangeFeed, thrown: (err: unknown) => void): (then: AfterLook) => void {
  let waiting: AfterLook[] = []
  const lookForAll = () => {
    const batch = waiting
    waiting = []
    let seen = 0
    let failed: Error | null = null
    try {
      seen = feed.sync()
    } catch (err) {
      failed = err as Error
    }
    for (const then of batch) {
      try {
        then(failed, seen)
      } catch (err) {
        thrown(err)
      }
    }
  }
  return (then) => {
    if (waiting.push(then) === 1) setImmediate(lookForAll)
  }
}
