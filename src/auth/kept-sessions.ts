// Sessions kept in memory between requests (src/coherence), so a logged-in page does not read its
// session and user from the database each time.
//
// A kept session is used only while nothing in its scopes changed after it was read: 'users' (any
// account: a role, deactivation, a name, a language) and 'sessions:<user id>' (one of the person's
// sessions ended or changed: logout, "log out everywhere", single sign-on's back-channel logout;
// migrations 0242). Touching last_seen_at logs nothing, so the kept copy is trusted only while it
// would need no touch: once a minute it is read again and touched, and a session another process
// kept alive is never judged idle from an old copy. While the change feed could not read the log
// (SQLite, inside a transaction of this process) the database is asked: it answers after the commit.
import { changedSince, type ChangeFeed } from '../coherence/index.js'
import type { SessionRow } from './sessions.js'

interface Kept { row: SessionRow; made: number }

export class KeptSessions {
  private readonly rows = new Map<string, Kept>()

  constructor(private readonly changes: ChangeFeed, private readonly max = 10_000) {}

  /** The session as read before, if nothing it depends on changed since (as far as the change feed knows it all). */
  get(id: string): SessionRow | undefined {
    const kept = this.rows.get(id)
    if (!kept || !this.changes.upToDate()) return undefined
    if (!changedSince(this.changes, ['users', `sessions:${kept.row.id}`], kept.made)) return kept.row
    this.rows.delete(id)
    return undefined
  }

  /** `made`: the change the request started from (req.changeSeen): a change made since is not in `row`. */
  set(id: string, row: SessionRow, made: number): void {
    this.rows.delete(id)
    if (this.rows.size >= this.max) this.rows.delete(this.rows.keys().next().value!)
    this.rows.set(id, { row, made })
  }

  delete(id: string): void {
    this.rows.delete(id)
  }
}
