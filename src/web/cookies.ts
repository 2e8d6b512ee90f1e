import type { CookieSerializeOptions } from '@fastify/cookie'
import type { Config } from '../config.js'

// Over TLS the session cookie takes the __Host- prefix: the browser then insists on Secure, Path=/
// and no Domain, so a sibling subdomain cannot plant or read it.
export const SESSION_COOKIE = (config: Config) => (config.secureCookies ? '__Host-betablogg' : 'betablogg')
export const LANG_COOKIE = 'lang'

export function sessionCookieOptions(config: Config): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies }
}
