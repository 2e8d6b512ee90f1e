// The site's widget key. On an internal site a widget or oEmbed address carries it, because the page
// that embeds it (the intranet, the LMS) cannot log in to Betablogg. The key is HMAC(server secret,
// nonce): the database holds only the nonce, so a copy of it does not hand out access, and renewing
// the nonce makes every old widget address stop working.
import { createHmac, timingSafeEqual } from 'node:crypto'

export function deriveWidgetKey(secret: string, nonce: string): string {
  return createHmac('sha256', secret).update(`betablogg-widget-key:${nonce}`).digest('base64url')
}

/** Whether a key from a URL is the site's current key. */
export function isWidgetKey(secret: string, nonce: string, given: string | undefined): boolean {
  if (!nonce || !given || given.length > 100) return false
  const want = Buffer.from(deriveWidgetKey(secret, nonce))
  const got = Buffer.from(given)
  return got.length === want.length && timingSafeEqual(got, want)
}
