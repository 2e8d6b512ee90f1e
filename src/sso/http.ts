// The only way single sign-on talks to the network: to the configured provider's hosts only, with a
// timeout, a size limit and no redirects followed. The issuer is the operator's choice, so a
// loopback or private issuer (a test provider, an on-premises Keycloak) is allowed by configuring it.
import type { OidcConfig } from '../config.js'

const TIMEOUT_MS = 10_000
const MAX_BYTES = 1024 * 1024

export type ProviderFetch = (url: string, init: RequestInit) => Promise<Response>

export function providerFetch(oidc: OidcConfig): ProviderFetch {
  const hosts = new Set([new URL(oidc.issuer).host.toLowerCase(), ...oidc.extraHosts])
  return async (url, init) => {
    const target = new URL(url)
    if (!hosts.has(target.host.toLowerCase())) throw new Error(`single sign-on: ${target.host} is not the provider's host (OIDC_EXTRA_HOSTS)`)
    const signals = [AbortSignal.timeout(TIMEOUT_MS), ...(init.signal ? [init.signal] : [])]
    const res = await fetch(target, { ...init, redirect: 'manual', signal: AbortSignal.any(signals) })
    const body = await readCapped(res)
    const empty = res.status === 204 || res.status === 304 || body.byteLength === 0
    return new Response(empty ? null : (body as unknown as BodyInit), { status: res.status, statusText: res.statusText, headers: res.headers })
  }
}

async function readCapped(res: Response): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array()
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength
    if (size > MAX_BYTES) throw new Error('single sign-on: the provider answered with more than 1 MB')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}
