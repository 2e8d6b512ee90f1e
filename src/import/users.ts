// WordPress authors → our accounts: usernames that fit our rules, display names, the nicename old
// author URLs used. Pure; the service decides whether an account already exists.
import { slugify } from '../posts/slug.js'
import { EMAIL_PATTERN, USERNAME_PATTERN } from '../users/user.js'
import type { WxrAuthor } from '../wordpress/wxr-types.js'

const MAX_USERNAME = 32

/**
 * A username for a WordPress login: lower case, Norwegian letters transliterated as in slugs
 * (ø → o, æ → ae, å → a), dots, underscores and hyphens kept, anything else a hyphen; always
 * matches USERNAME_PATTERN (too short or empty logins get `fallback`).
 */
export function usernameFromLogin(login: string, fallback = 'forfatter'): string {
  const pieces = login.trim().toLowerCase().split(/([._-]+)/)
  let name = pieces.map((p) => (/^[._-]+$/.test(p) ? p[0] : slugify(p, ''))).join('')
  name = name.replace(/[._-]{2,}/g, (run) => run[0]!).replace(/^[._-]+/, '').slice(0, MAX_USERNAME).replace(/[._-]+$/, '')
  if (!USERNAME_PATTERN.test(name)) name = name.length === 1 ? `${name}-wp` : fallback
  return name
}

/** `base`, then `base-2`, `base-3` …, each within 32 characters: the caller takes the first that is free. */
export function* usernameCandidates(base: string): Generator<string> {
  yield base
  for (let n = 2; n < 100_000; n++) {
    const suffix = `-${n}`
    yield base.slice(0, MAX_USERNAME - suffix.length).replace(/[._-]+$/, '') + suffix
  }
}

export function displayNameOf(a: Pick<WxrAuthor, 'displayName' | 'firstName' | 'lastName' | 'login'>): string {
  const name = a.displayName.trim() || `${a.firstName} ${a.lastName}`.trim() || a.login.trim() || 'Ukjent forfatter'
  return [...name.replace(/[\u0000-\u001f\u007f]/g, '')].slice(0, 80).join('')
}

/** The e-mail address as we store it (lower case), or undefined when it is not a usable address. */
export function normaliseEmail(email: string): string | undefined {
  const e = email.trim().toLowerCase()
  return e && e.length <= 254 && EMAIL_PATTERN.test(e) ? e : undefined
}

/** WordPress's user_nicename (sanitize_title of the login): what /author/<nicename>/ URLs hold. */
export function nicenameOf(login: string): string {
  return login.trim().toLowerCase().replace(/[.@]/g, '-').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/-{2,}/g, '-').replace(/^-|-$/g, '')
}
