// Server-side sessions: the cookie holds 256 random bits, the database only their hash. A session
// ends after SESSION_IDLE_MINUTES without a request or SESSION_MAX_DAYS after login, whichever
// comes first. The session and user are read again whenever an account or one of the person's sessions
// changed (kept-sessions.ts), so deactivation, role changes and logout apply at once in every process.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { hashToken, newToken } from './tokens.js'
import { deleteSession, findSessionWithUser, insertSession, touchSession } from './queries.js'
import type { KeptSessions } from './kept-sessions.js'

// Writing last_seen_at on every request would turn every page view into a disk write.
const TOUCH_AFTER_MS = 60_000

export interface SessionMeta { ip: string | null; userAgent: string | null }

export async function startSession(db: Kysely<DB>, config: Config, userId: number, meta: SessionMeta, now = new Date()): Promise<string> {
  const token = newToken()
  await insertSession(db, {
    id: hashToken(token),
    userId,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + config.sessionMaxDays * 86_400_000).toISOString(),
    ip: meta.ip,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  })
  return token
}

/** A session and its user as read from the database. */
export type SessionRow = NonNullable<Awaited<ReturnType<typeof findSessionWithUser>>>

/**
 * The person a session token belongs to, or undefined (unknown, expired, idle, deactivated). `kept`:
 * sessions kept in memory (kept-sessions.ts) and the change the request started from.
 */
export async function resumeSession(
  db: Kysely<DB>, config: Config, token: string, now = new Date(), kept?: { sessions: KeptSessions; seen: number },
): Promise<CurrentUser | undefined> {
  if (!token || token.length > 100) return undefined
  const id = hashToken(token)
  const idleLimit = now.getTime() - config.sessionIdleMinutes * 60_000
  const fresh = (row: SessionRow) => Date.parse(row.expires_at) > now.getTime() && Date.parse(row.last_seen_at) >= idleLimit && !!row.is_active
  const cached = kept?.sessions.get(id)
  // Trusted only while it needs no touch (see kept-sessions.ts); else read again and decide on that.
  if (cached && fresh(cached) && now.getTime() - Date.parse(cached.last_seen_at) <= TOUCH_AFTER_MS) return currentUser(cached, id)
  let row = await findSessionWithUser(db, id)
  if (!row || !fresh(row)) {
    kept?.sessions.delete(id)
    if (row) await deleteSession(db, id)
    return undefined
  }
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_AFTER_MS) {
    await touchSession(db, id, now.toISOString())
    row = { ...row, last_seen_at: now.toISOString() }
  }
  kept?.sessions.set(id, row, kept.seen)
  return currentUser(row, id)
}

function currentUser(row: SessionRow, sessionId: string): CurrentUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    isEditor: row.is_editor === 1,
    isAdmin: row.is_admin === 1,
    language: row.language,
    theme: row.theme === 'light' || row.theme === 'dark' ? row.theme : null,
    sessionId,
  }
}

export async function endSession(db: Kysely<DB>, token: string): Promise<void> {
  await deleteSession(db, hashToken(token))
}
