import { createHash, createHmac, randomBytes } from 'node:crypto'

/** 256 random bits, URL-safe: session ids, invitation and feed keys. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Tokens are stored only as their SHA-256, so a copy of the database does not hand out sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * A token derived from the server's secret and a public seed (an outbox message id, a nonce): a mail
 * sender can make the link when it sends, so no usable token waits in the database, and a retried
 * send makes the same link. Store only its hashToken().
 */
export function derivedToken(secret: string, purpose: string, seed: string): string {
  return createHmac('sha256', secret).update(`${purpose}\0${seed}`).digest('base64url')
}
