// A real OpenID provider (oidc-provider, certified) on loopback for the single sign-on tests: its own
import { inspect } from 'node:util'
// keys, one client for the app, test accounts with groups, a minimal login interaction (a form, or an
// automatic sign-in for inject tests), RP-initiated and back-channel logout. One per test file.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'

export const CLIENT_ID = 'betablogg'
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef'
export const EDITOR_GROUP = 'betablogg-redaksjon'
export const ADMIN_GROUP = 'betablogg-admin'

export interface TestAccount {
  email: string
  email_verified: boolean
  name: string
  preferred_username: string
  groups: string[]
}

export const ACCOUNTS: Record<string, TestAccount> = {
  kari: { email: 'kari.nordmann@trondheim.kommune.no', email_verified: true, name: 'Kari Nordmann', preferred_username: 'kari.nordmann@trondheim.kommune.no', groups: [EDITOR_GROUP] },
  ola: { email: 'ola.hansen@trondheim.kommune.no', email_verified: true, name: 'Ola Hansen', preferred_username: 'ola.hansen@trondheim.kommune.no', groups: [] },
  per: { email: 'per.berg@trondheim.kommune.no', email_verified: true, name: 'Per Berg', preferred_username: 'per.berg@trondheim.kommune.no', groups: [ADMIN_GROUP] },
  unverified: { email: 'uverifisert@trondheim.kommune.no', email_verified: false, name: 'Uverifisert', preferred_username: 'uverifisert', groups: [] },
  outsider: { email: 'someone@example.com', email_verified: true, name: 'Someone Else', preferred_username: 'someone', groups: [] },
}

export interface TestProvider {
  issuer: string
  /** Accounts signed in without a form (inject tests); null: the login form is shown (browser). */
  autoLogin: string | null
  /** The app's base URL the client is registered for (redirect and logout URIs). */
  close(): Promise<void>
}

export async function startProvider(appBaseUrls: string[]): Promise<TestProvider> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }

  const provider = new Provider(issuer, {
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    clients: [{
      client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_post',
      redirect_uris: appBaseUrls.map((b) => `${b}/sso/callback`),
      post_logout_redirect_uris: appBaseUrls.map((b) => `${b}/login?loggedOut=1`),
      backchannel_logout_uri: `${appBaseUrls[0]}/sso/backchannel-logout`,
      backchannel_logout_session_required: true,
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username', 'groups'] },
    // Entra ID puts the claims in the ID token; so does this provider.
    conformIdTokenClaims: false,
    // The app under test listens on loopback, which the provider's SSRF guard refuses by default.
    fetch: (url: string, options: RequestInit & { dispatcher?: unknown }) => globalThis.fetch(url, { ...options, dispatcher: undefined } as RequestInit),
    ttl: { Interaction: 600, Grant: 600, Session: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: {
      devInteractions: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Sign out</title></head><body><h1>Sign out?</h1>${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`
        },
      },
    },
    findAccount: async (_ctx: unknown, id: string) => {
      const account = ACCOUNTS[id]
      if (!account) return undefined
      return { accountId: id, claims: async () => ({ sub: id, ...account }) }
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html'
      ctx.body = `<!DOCTYPE html><html><body><h1>Provider error</h1><pre>${JSON.stringify(out).replace(/</g, '&lt;')}</pre></body></html>`
    },
  })
  provider.on('backchannel.error', (...args: unknown[]) => { if (process.env.DEBUG_OP) console.error('backchannel.error', inspect(args[1], { depth: 2 }).slice(0, 1500)) })
  const fixture: TestProvider = { issuer, autoLogin: null, close: () => new Promise((r) => server.close(() => r())) }

  const finish = async (req: http.IncomingMessage, res: http.ServerResponse, accountId: string) => {
    const details = await provider.interactionDetails(req, res)
    const grant = new provider.Grant({ accountId, clientId: CLIENT_ID })
    grant.addOIDCScope(details.params.scope ?? 'openid')
    const grantId = await grant.save()
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false })
  }

  const handler = provider.callback()
  server.on('request', (req, res) => {
    const m = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '')
    if (!m) return handler(req, res)
    void (async () => {
      if (req.method === 'GET' && fixture.autoLogin) return finish(req, res, fixture.autoLogin)
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8')
        return res.end(`<!DOCTYPE html><html lang="en"><head><title>Test provider</title></head><body><h1>Test provider</h1>
<form method="post" action="/interaction/${m[1]}"><label for="login">Account</label><input id="login" name="login"><button type="submit">Sign in</button></form></body></html>`)
      }
      let body = ''
      for await (const chunk of req) body += chunk
      return finish(req, res, new URLSearchParams(body).get('login') ?? '')
    })().catch((err: Error) => { res.statusCode = 500; res.end(err.message) })
  })
  return fixture
}

/** Follows the provider's redirects (with its own cookie jar) until it sends the browser back to the app. */
export async function followProvider(url: string, appBaseUrl: string, jar = new Map<string, string>()): Promise<string> {
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(appBaseUrl)) return url.slice(appBaseUrl.length)
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } })
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';')
      const i = pair.indexOf('=')
      jar.set(pair.slice(0, i), pair.slice(i + 1))
    }
    const location = res.headers.get('location')
    if (!location) throw new Error(`provider stopped at ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`)
    url = new URL(location, url).href
  }
  throw new Error('too many redirects at the provider')
}

export type FakeMode = 'expired' | 'forged' | 'issuer' | 'audience' | 'good'

/**
 * A misbehaving issuer on loopback: a real HTTP peer whose token endpoint answers with the ID token a
 * test asks for (expired, signed by a stranger's key, for another issuer or audience).
 */
export async function startFakeIssuer() {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { SignJWT } = await import('jose')
  const own = await generateKeyPair('RS256', { extractable: true })
  const stranger = await generateKeyPair('RS256', { extractable: true })
  const publicJwk = { ...(await exportJWK(own.publicKey)), kid: 'own', alg: 'RS256', use: 'sig' }
  const fake = { issuer, mode: 'good' as FakeMode, nonce: '', close: () => new Promise<void>((r) => server.close(() => r())) }

  const idToken = async () => {
    const now = Math.floor(Date.now() / 1000)
    const claims = { nonce: fake.nonce, email: 'kari.nordmann@trondheim.kommune.no', email_verified: true, name: 'Kari Nordmann', preferred_username: 'kari' }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'own' })
      .setIssuer(fake.mode === 'issuer' ? 'https://evil.example' : issuer)
      .setAudience(fake.mode === 'audience' ? 'someone-else' : CLIENT_ID)
      .setSubject('fake-kari')
      .setIssuedAt(fake.mode === 'expired' ? now - 7200 : now)
      .setExpirationTime(fake.mode === 'expired' ? now - 3600 : now + 300)
      .sign(fake.mode === 'forged' ? stranger.privateKey : own.privateKey)
  }
  server.on('request', (req, res) => {
    void (async () => {
      res.setHeader('content-type', 'application/json')
      if (req.url === '/.well-known/openid-configuration') {
        return res.end(JSON.stringify({
          issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        }))
      }
      if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [publicJwk] }))
      if (req.url === '/token' && req.method === 'POST') {
        for await (const _ of req) void _
        return res.end(JSON.stringify({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: await idToken() }))
      }
      res.statusCode = 404
      res.end('{}')
    })()
  })
  return fake
}
