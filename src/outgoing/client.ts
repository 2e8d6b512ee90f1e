// The one way Betablogg makes HTTP requests to other servers (oEmbed now, webhooks later). Every request:
// - goes only to hosts on the caller's allowlist (or any host, for callers that pass explicit targets);
// - resolves the name once, checks EVERY address it resolves to (src/outgoing/addresses.ts) and then
//   connects to exactly the checked address, so a second DNS answer cannot point it elsewhere (rebinding);
// - follows redirects itself, each hop checked like the first;
// - has one deadline for the whole exchange and a limit on the response size.
// Private and loopback addresses are allowed only for hosts an operator lists in OUTGOING_ALLOW_PRIVATE.
import http from 'node:http'
import https from 'node:https'
import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP, type LookupFunction } from 'node:net'
import type { FastifyBaseLogger } from 'fastify'
import { bareHost, hostMatches, isBlockedAddress } from './addresses.js'

export type RefusalReason =
  | 'invalid-url' | 'scheme' | 'host-not-allowed' | 'address-not-allowed' | 'dns' | 'timeout'
  | 'too-large' | 'too-many-redirects' | 'network'

/** The request was not made, or was abandoned. `reason` is stable; the message names no secrets. */
export class OutgoingRefusedError extends Error {
  constructor(readonly reason: RefusalReason, readonly host: string) {
    super(`outgoing request to ${host || 'an invalid address'} refused: ${reason}`)
    this.name = 'OutgoingRefusedError'
  }
}

export interface OutgoingRequest {
  url: string
  /** Host patterns (`example.com`, `*.example.com`) the request and its redirects may go to, or 'any'. */
  allowHosts: readonly string[] | 'any'
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string | Buffer
  timeoutMs?: number
  maxBytes?: number
  maxRedirects?: number
}

export interface OutgoingResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
  /** The URL that answered (after redirects). */
  url: string
}

export interface OutgoingOptions {
  /** Hosts (names or addresses) allowed to resolve to private/loopback addresses. */
  allowPrivate: readonly string[]
  log: FastifyBaseLogger
  userAgent?: string
  /** Name resolution; swapped only by tests that need a name to resolve to a given address. */
  resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>
}

const DEFAULTS = { timeoutMs: 5000, maxBytes: 256 * 1024, maxRedirects: 3 }
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export type OutgoingClient = (request: OutgoingRequest) => Promise<OutgoingResponse>

export function createOutgoingClient(options: OutgoingOptions): OutgoingClient {
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }))
  return async function outgoingFetch(request) {
    const deadline = Date.now() + (request.timeoutMs ?? DEFAULTS.timeoutMs)
    const maxRedirects = request.maxRedirects ?? DEFAULTS.maxRedirects
    let url = request.url
    let method = request.method ?? 'GET'
    let body = request.body
    for (let hop = 0; ; hop++) {
      try {
        const target = await checkTarget(url, request.allowHosts, options, resolve)
        const res = await send(target, { ...request, method, body }, deadline, options.userAgent)
        const location = res.headers.location
        if (!REDIRECTS.has(res.status) || !location) return res
        if (hop >= maxRedirects) throw new OutgoingRefusedError('too-many-redirects', target.url.host)
        url = new URL(location, target.url).href
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
        }
      } catch (err) {
        const refusal = err instanceof OutgoingRefusedError ? err : new OutgoingRefusedError('network', hostOf(url))
        // The host only: paths and queries may carry tokens (webhook secrets, signed links).
        options.log.warn({ host: refusal.host, reason: refusal.reason }, 'outgoing request refused')
        throw refusal
      }
    }
  }
}

interface Target { url: URL; address: string; family: number }

async function checkTarget(raw: string, allowHosts: OutgoingRequest['allowHosts'], options: OutgoingOptions, resolve: NonNullable<OutgoingOptions['resolve']>): Promise<Target> {
  let url: URL
  try { url = new URL(raw) } catch { throw new OutgoingRefusedError('invalid-url', '') }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new OutgoingRefusedError('scheme', url.host)
  if (url.username || url.password) throw new OutgoingRefusedError('invalid-url', url.host)
  const host = bareHost(url.hostname)
  if (allowHosts !== 'any' && !hostMatches(host, allowHosts)) throw new OutgoingRefusedError('host-not-allowed', url.host)
  let addresses: Array<{ address: string; family: number }>
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }]
  else {
    try { addresses = await resolve(host) } catch { throw new OutgoingRefusedError('dns', url.host) }
  }
  if (!addresses.length) throw new OutgoingRefusedError('dns', url.host)
  const privateAllowed = hostMatches(host, options.allowPrivate)
  if (!privateAllowed && addresses.some((a) => isBlockedAddress(a.address))) {
    throw new OutgoingRefusedError('address-not-allowed', url.host)
  }
  const first = addresses[0]!
  return { url, address: first.address, family: first.family }
}

function send(target: Target, request: OutgoingRequest & { method: string }, deadline: number, userAgent?: string): Promise<OutgoingResponse> {
  const maxBytes = request.maxBytes ?? DEFAULTS.maxBytes
  const host = target.url.host
  // Connect to the checked address whatever the resolver would say now (no rebinding between check and use).
  const pinned: LookupFunction = (_name, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: target.address, family: target.family }])
    else callback(null, target.address, target.family)
  }
  const lib = target.url.protocol === 'https:' ? https : http
  return new Promise((resolvePromise, reject) => {
    const remaining = deadline - Date.now()
    if (remaining <= 0) return reject(new OutgoingRefusedError('timeout', host))
    const fail = (reason: RefusalReason) => { clearTimeout(timer); req.destroy(); reject(new OutgoingRefusedError(reason, host)) }
    const timer = setTimeout(() => fail('timeout'), remaining)
    const req = lib.request(target.url, {
      method: request.method,
      lookup: pinned,
      agent: false,
      headers: { 'user-agent': userAgent ?? 'Betablogg', accept: '*/*', ...request.headers },
    }, (res) => {
      const declared = Number(res.headers['content-length'])
      if (Number.isFinite(declared) && declared > maxBytes) return fail('too-large')
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxBytes) return fail('too-large')
        chunks.push(chunk)
      })
      res.on('end', () => {
        clearTimeout(timer)
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: target.url.href })
      })
      res.on('error', () => { clearTimeout(timer); reject(new OutgoingRefusedError('network', host)) })
    })
    req.on('error', () => { clearTimeout(timer); reject(new OutgoingRefusedError('network', host)) })
    req.end(request.body)
  })
}

function hostOf(raw: string): string {
  try { return new URL(raw).host } catch { return '' }
}
