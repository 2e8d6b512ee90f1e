import { createHash, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe: session ids, invitation and feed keys. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored only as their SHA-256, so a copy of the database does not hand out sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
