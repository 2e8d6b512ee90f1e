// The change feed where no cross-process log is read yet (PostgreSQL): every sync() counts as a change
// to everything, so nothing cached outlives the request that made it and every instance always shows
// what the database holds. Correct first; a LISTEN/NOTIFY feed (the log rows notified on commit) is
// what lets PostgreSQL instances cache again.
import type { ChangeFeed } from './index.js'

export function uncachedChangeFeed(): ChangeFeed {
  let seq = 0
  return {
    sync: () => ++seq,
    lastChange: () => seq + 1,
    prune: async () => {},
  }
}
