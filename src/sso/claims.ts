// What Betablogg takes from an ID token: who it is (issuer + subject), a username proposal, name,
// e-mail (verified, in an allowed domain) and the roles its groups give. Pure: no database, no HTTP.
import type { OidcConfig } from '../config.js'
import { SsoError } from './client.js'

export interface ProviderProfile {
  issuer: string
  subject: string
  username: string
  displayName: string
  email: string
  /** The roles the groups claim gives; undefined when no mapping is configured (roles stay local). */
  roles?: { isEditor: boolean; isAdmin: boolean }
  sid?: string
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '')

export function readProfile(oidc: OidcConfig, claims: Record<string, unknown>): ProviderProfile {
  const email = text(claims[oidc.claims.email]).toLowerCase()
  if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new SsoError('claims', `no e-mail in claim ${oidc.claims.email}`)
  if (oidc.claims.emailVerified && claims[oidc.claims.emailVerified] !== true && claims[oidc.claims.emailVerified] !== 'true') {
    throw new SsoError('emailUnverified')
  }
  const domain = email.slice(email.lastIndexOf('@') + 1)
  if (oidc.allowedEmailDomains.length && !oidc.allowedEmailDomains.includes(domain)) throw new SsoError('emailDomain', domain)
  const username = text(claims[oidc.claims.username]) || email
  return {
    issuer: text(claims.iss),
    subject: text(claims.sub),
    username,
    displayName: text(claims[oidc.claims.name]).slice(0, 100) || username.split('@')[0]!,
    email,
    roles: mapRoles(oidc, claims[oidc.claims.groups]),
    sid: text(claims.sid) || undefined,
  }
}

/** Roles from group claim values; undefined without a mapping. A missing claim means no groups. */
export function mapRoles(oidc: OidcConfig, groups: unknown): ProviderProfile['roles'] {
  if (!oidc.editorGroups.length && !oidc.adminGroups.length) return undefined
  const values = new Set(Array.isArray(groups) ? groups.map(String) : typeof groups === 'string' ? [groups] : [])
  return {
    isEditor: oidc.editorGroups.some((g) => values.has(g)),
    isAdmin: oidc.adminGroups.some((g) => values.has(g)),
  }
}

/** A Betablogg username from the provider's (often an e-mail address): its local part, made legal. */
export function usernameBase(proposal: string): string {
  const local = proposal.toLowerCase().split('@')[0]!.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a')
  const cleaned = local.replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 28)
  return cleaned.length >= 2 ? cleaned : `user-${cleaned}`.slice(0, 28)
}
