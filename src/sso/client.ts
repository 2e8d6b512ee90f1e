// The OpenID Connect client (openid-client): discovery, the authorization request with PKCE, state
// and nonce, the code exchange with every check of the ID token, RP-initiated logout and the
// back-channel logout token. One per app; discovery happens at the first use and is retried after a
// failure, so the site starts (and password login works) while the provider is down.
import type * as Oidc from 'openid-client'
import type { createRemoteJWKSet, JWTPayload } from 'jose'
import type { OidcConfig } from '../config.js'
import { OutgoingRefusedError, type OutgoingClient } from '../outgoing/client.js'
import { providerFetch } from './http.js'

/** Why a sign-in failed; each has its own page (messages.ts: sso.error.<reason>). */
export type SsoFailure =
  | 'unreachable' | 'state' | 'code' | 'token' | 'denied' | 'claims' | 'emailUnverified' | 'emailDomain'
  | 'deactivated' | 'noAccount' | 'notLinked' | 'emailTaken'

export class SsoError extends Error {
  constructor(readonly reason: SsoFailure, readonly detail?: string) {
    super(`single sign-on failed: ${reason}${detail ? ` (${detail})` : ''}`)
    this.name = 'SsoError'
  }
}

export interface PendingLogin { state: string; nonce: string; codeVerifier: string }

// Loaded at the first sign-in: a site without single sign-on (and every test process) never needs them.
let libraries: Promise<[typeof Oidc, typeof import('jose')]> | undefined
const load = () => (libraries ??= Promise.all([import('openid-client'), import('jose')]))

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout'

export class OidcClient {
  private discovered: Promise<Oidc.Configuration> | undefined
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined
  private readonly fetch

  constructor(readonly settings: OidcConfig, readonly redirectUri: string, outgoing: OutgoingClient) {
    this.fetch = providerFetch(settings, outgoing)
  }

  /** The provider's configuration; throws SsoError('unreachable') and forgets the failure. */
  async configuration(): Promise<Oidc.Configuration> {
    const [oidc] = await load()
    this.discovered ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, oidc.ClientSecretPost(this.settings.clientSecret), {
        [oidc.customFetch]: (url, init) => this.fetch(url, init as RequestInit),
        // Over plain http only for a loopback issuer outside production (checked in src/config.ts).
        execute: [oidc.enableNonRepudiationChecks, ...(this.settings.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [])],
      })
    try {
      return await this.discovered
    } catch (err) {
      this.discovered = undefined
      throw new SsoError('unreachable', (err as Error).message)
    }
  }

  /** A new login: the secrets to keep until the callback and the provider's URL to send the browser to. */
  async start(): Promise<{ pending: PendingLogin; url: string }> {
    const [oidc] = await load()
    const config = await this.configuration()
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() }
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    })
    return { pending, url: url.href }
  }

  /** Exchanges the code; returns the ID token's verified claims. `callbackUrl` is the full URL called. */
  async finish(callbackUrl: URL, pending: PendingLogin): Promise<Oidc.IDToken> {
    const [oidc] = await load()
    const config = await this.configuration()
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: pending.state, expectedNonce: pending.nonce, pkceCodeVerifier: pending.codeVerifier, idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new SsoError('token', 'no ID token')
      return claims
    } catch (err) {
      throw classify(err)
    }
  }

  /** RP-initiated logout, when the provider offers it. */
  async endSessionUrl(postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.configuration().catch(() => undefined)
    if (!config?.serverMetadata().end_session_endpoint) return undefined
    const [oidc] = await load()
    return oidc.buildEndSessionUrl(config, { client_id: this.settings.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).href
  }

  /** Verifies a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, section 2.6). */
  async verifyLogoutToken(token: string): Promise<{ issuer: string; sid?: string; sub?: string }> {
    const [, { createRemoteJWKSet, customFetch: joseFetch, jwtVerify }] = await load()
    const config = await this.configuration()
    const meta = config.serverMetadata()
    if (!meta.jwks_uri) throw new Error('the provider publishes no jwks_uri')
    this.jwks ??= createRemoteJWKSet(new URL(meta.jwks_uri), { [joseFetch]: (url: string, init: unknown) => this.fetch(url, init as RequestInit) })
    const { payload } = await jwtVerify(token, this.jwks, {
      issuer: meta.issuer, audience: this.settings.clientId, maxTokenAge: '5 minutes', requiredClaims: ['iat', 'jti', 'events'],
    })
    return { issuer: meta.issuer, ...checkLogoutClaims(payload) }
  }
}

export function checkLogoutClaims(payload: JWTPayload): { sid?: string; sub?: string } {
  const events = payload.events as Record<string, unknown> | undefined
  if (!events || typeof events !== 'object' || typeof events[BACKCHANNEL_EVENT] !== 'object') throw new Error('no back-channel logout event')
  if ('nonce' in payload) throw new Error('a logout token must not have a nonce')
  const sid = typeof payload.sid === 'string' ? payload.sid : undefined
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined
  if (!sid && !sub) throw new Error('neither sid nor sub')
  return { sid, sub }
}

/** openid-client's errors, sorted into what the person is told. */
function classify(err: unknown): SsoError {
  if (err instanceof SsoError) return err
  for (let c: unknown = err; c instanceof Error; c = c.cause) {
    if (c instanceof OutgoingRefusedError) return new SsoError('unreachable', c.message) // refused or failed: host and reason only
  }
  const e = err as { name?: string; code?: string; error?: string; message?: string; cause?: unknown }
  const detail = `${e.code ?? ''} ${e.error ?? ''} ${e.message ?? ''}`.trim()
  if (e.error === 'access_denied' || e.error === 'login_required' || e.error === 'consent_required') return new SsoError('denied', detail)
  if (e.error === 'invalid_grant') return new SsoError('code', detail)
  if (/state/i.test(e.message ?? '') && e.code === 'OAUTH_INVALID_RESPONSE') return new SsoError('state', detail)
  if (e.code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' && /state/.test(e.message ?? '')) return new SsoError('state', detail)
  if (e.name === 'TypeError' || e.code === 'OAUTH_TIMEOUT' || /fetch failed|abort|ECONNREFUSED|timeout/i.test(detail)) return new SsoError('unreachable', detail)
  return new SsoError('token', detail)
}
