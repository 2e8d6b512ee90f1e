// Unsubscribe links work without login: the token names the person and what to stop, signed with
// HMAC-SHA256 under a key derived from SESSION_SECRET. It does not expire (an old e-mail's link must
// still work, RFC 8058); what it can do is only ever to send less e-mail.
import { createHmac, timingSafeEqual } from 'node:crypto'

/** 'weekly', 'daily', 'all', or a notification kind. */
export type UnsubscribeScope = string

function mac(secret: string, userId: number, scope: string): Buffer {
  return createHmac('sha256', secret).update(`unsubscribe\0${userId}\0${scope}`).digest()
}

export function signUnsubscribe(secret: string, userId: number, scope: UnsubscribeScope): string {
  return `${userId}.${Buffer.from(scope).toString('base64url')}.${mac(secret, userId, scope).toString('base64url')}`
}

export function verifyUnsubscribe(secret: string, token: string): { userId: number; scope: UnsubscribeScope } | undefined {
  const m = /^(\d{1,12})\.([A-Za-z0-9_-]{1,80})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m) return undefined
  const userId = Number(m[1])
  const scope = Buffer.from(m[2]!, 'base64url').toString()
  const given = Buffer.from(m[3]!, 'base64url')
  const expected = mac(secret, userId, scope)
  return given.length === expected.length && timingSafeEqual(given, expected) ? { userId, scope } : undefined
}
