// The only way single sign-on talks to the network: the app's guarded outgoing client (src/outgoing),
// with the provider's hosts as the allowlist — the issuer's own host automatically, and OIDC_EXTRA_HOSTS
// — a timeout, a size limit and no redirects followed. Like every outgoing request, one to a loopback
// or private address (a test provider, an on-premises Keycloak) is made only when that host is listed
// in OUTGOING_ALLOW_PRIVATE. This adapts the client to the fetch signature openid-client and jose take.
import type { OidcConfig } from '../config.js'
import { bareHost } from '../outgoing/addresses.js'
import { OutgoingRefusedError, type OutgoingClient } from '../outgoing/client.js'

const TIMEOUT_MS = 10_000
const MAX_BYTES = 1024 * 1024

export type ProviderFetch = (url: string, init: RequestInit) => Promise<Response>

/** The hosts (with port, when one is given) that single sign-on may call. */
export function providerHosts(oidc: OidcConfig): Set<string> {
  return new Set([new URL(oidc.issuer).host.toLowerCase(), ...oidc.extraHosts])
}

export function providerFetch(oidc: OidcConfig, outgoing: OutgoingClient): ProviderFetch {
  const hosts = providerHosts(oidc)
  // The guarded client matches names without ports; the exact host:port is checked here first.
  const allowHosts = [...hosts].map((h) => bareHost(new URL(`http://${h}`).hostname))
  return async (url, init) => {
    const target = new URL(url)
    if (!hosts.has(target.host.toLowerCase())) throw new OutgoingRefusedError('host-not-allowed', target.host)
    const method = (init.method ?? 'GET').toUpperCase()
    if (method !== 'GET' && method !== 'POST') throw new OutgoingRefusedError('invalid-url', target.host)
    const headers = new Headers(init.headers)
    // fetch would derive it from URLSearchParams; the guarded client sends bytes as they are.
    if (init.body instanceof URLSearchParams && !headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8')
    const res = await outgoing({
      url: target.href, allowHosts, method, headers: Object.fromEntries(headers), body: requestBody(init.body),
      timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, maxRedirects: 0,
    })
    const answer = new Headers()
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) answer.append(name, v)
    }
    const empty = res.status === 204 || res.status === 304 || res.body.byteLength === 0
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers: answer })
  }
}

/** The bodies openid-client sends: form parameters (token endpoint) or nothing. */
function requestBody(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string') return body
  if (body instanceof URLSearchParams) return body.toString()
  if (body instanceof Uint8Array) return Buffer.from(body)
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  throw new TypeError('single sign-on: unsupported request body')
}
