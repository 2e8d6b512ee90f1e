// Server-side sessions: the cookie holds 256 random bits, the database only their hash. A session
// ends after SESSION_IDLE_MINUTES without a request or SESSION_MAX_DAYS after login, whichever
// comes first. The user row is read on every request, so deactivation and role changes apply at once.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import { hashToken, newToken } from './tokens.js'
import { deleteSession, findSessionWithUser, insertSession, touchSession } from './queries.js'

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

export async function resumeSession(db: Kysely<DB>, config: Config, token: string, now = new Date()): Promise<CurrentUser | undefined> {
  if (!token || token.length > 100) return undefined
  const id = hashToken(token)
  const row = await findSessionWithUser(db, id)
  if (!row) return undefined
  const idleLimit = now.getTime() - config.sessionIdleMinutes * 60_000
  const lastSeen = Date.parse(row.last_seen_at)
  if (Date.parse(row.expires_at) <= now.getTime() || lastSeen < idleLimit || !row.is_active) {
    await deleteSession(db, id)
    return undefined
  }
  if (now.getTime() - lastSeen > TOUCH_AFTER_MS) await touchSession(db, id, now.toISOString())
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    isEditor: row.is_editor === 1,
    isAdmin: row.is_admin === 1,
    language: row.language,
    theme: row.theme === 'light' || row.theme === 'dark' ? row.theme : null,
    sessionId: id,
  }
}

export async function endSession(db: Kysely<DB>, token: string): Promise<void> {
  await deleteSession(db, hashToken(token))
}
