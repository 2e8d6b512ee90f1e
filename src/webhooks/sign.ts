// Signatures in the manner of Standard Webhooks (standardwebhooks.com): the receiver recomputes
// HMAC-SHA256 over "<id>.<timestamp>.<body>" with the shared secret and compares; the timestamp lets
// it refuse replays. The secret is "whsec_" + base64 of 24 random bytes.
import { createHmac, randomBytes } from 'node:crypto'

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`
}

export function signatureHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` }
}
