import type { CookieSerializeOptions } from '@fastify/cookie'
import type { Config } from '../config.js'

// Over TLS the session cookie takes the __Host- prefix: the browser then insists on Secure, Path=/
// and no Domain, so a sibling subdomain cannot plant or read it.
export const SESSION_COOKIE = (config: Config) => (config.secureCookies ? '__Host-betablogg' : 'betablogg')
export const LANG_COOKIE = 'lang'
/** The CSRF secret's cookie (@fastify/csrf-protection, signed). */
export const CSRF_COOKIE = (config: Config) => (config.secureCookies ? '__Host-csrf' : 'csrf')

export function sessionCookieOptions(config: Config): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies }
}

/** The chosen language, for a year (the footer's language page and the profile set it). */
export function langCookieOptions(config: Config): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: 365 * 86400 }
}
