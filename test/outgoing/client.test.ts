import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import pino from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { isBlockedAddress, hostMatches } from '../../src/outgoing/addresses.js'
import { createOutgoingClient, OutgoingRefusedError, type OutgoingOptions } from '../../src/outgoing/client.js'
import { ConfigError, loadConfig } from '../../src/config.js'
import { buildTestApp } from '../helpers/app.js'

test('addresses outside the public internet are blocked, public ones are not', () => {
  for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fd00::1', 'fc00::5', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '64:ff9b::a00:1', '2002:7f00:1::1',
    '224.0.0.1', 'ff02::1', 'not-an-address']) {
    assert.equal(isBlockedAddress(a), true, a)
  }
  for (const a of ['8.8.8.8', '151.101.1.69', '2a00:1450:4001:80b::200e', '2606:4700::6810:84e5']) {
    assert.equal(isBlockedAddress(a), false, a)
  }
})

test('host patterns match exactly or below a wildcard domain', () => {
  assert.equal(hostMatches('www.youtube.com', ['www.youtube.com']), true)
  assert.equal(hostMatches('evil-youtube.com', ['*.youtube.com']), false)
  assert.equal(hostMatches('a.b.sharepoint.com', ['*.sharepoint.com']), true)
  assert.equal(hostMatches('sharepoint.com', ['*.sharepoint.com']), false)
  assert.equal(hostMatches('[::1]', ['::1']), true)
})

test('OUTGOING_ALLOW_PRIVATE is validated with every other variable', () => {
  assert.deepEqual(loadConfig({ NODE_ENV: 'test', OUTGOING_ALLOW_PRIVATE: 'Proxy.intern, 10.0.0.5,::1' }).outgoingAllowPrivate, ['proxy.intern', '10.0.0.5', '::1'])
  assert.throws(() => loadConfig({ NODE_ENV: 'test', OUTGOING_ALLOW_PRIVATE: 'http://x/', OEMBED_ENDPOINTS: 'flickr=https://x' }), (err: unknown) => {
    assert.ok(err instanceof ConfigError)
    assert.equal(err.problems.length, 2)
    assert.match(err.problems.join('\n'), /OUTGOING_ALLOW_PRIVATE.*"http:\/\/x\/"/)
    return true
  })
})

// A tiny peer on loopback; each test gets its own paths.
async function peer(t: import('node:test').TestContext) {
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '')
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/ok') return res.end('hello')
    if (url.pathname === '/big') return res.end('x'.repeat(5000))
    if (url.pathname === '/big-chunked') { res.write('x'.repeat(3000)); res.write('x'.repeat(3000)); return res.end() }
    if (url.pathname === '/slow') return setTimeout(() => res.end('late'), 1000)
    if (url.pathname === '/redirect') { res.writeHead(302, { location: url.searchParams.get('to') ?? '/ok' }); return res.end() }
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => server.close(() => r())))
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, port: (server.address() as AddressInfo).port, hits }
}

function logger() {
  const lines: string[] = []
  const log = pino({ level: 'warn' }, new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done() } }))
  return { log: log as unknown as FastifyBaseLogger, lines }
}

function client(opts: Partial<OutgoingOptions> = {}) {
  const { log, lines } = logger()
  return { fetch: createOutgoingClient({ allowPrivate: [], log, ...opts }), lines }
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try { await promise } catch (err) {
    assert.ok(err instanceof OutgoingRefusedError, String(err))
    return err.reason
  }
  assert.fail('the request was not refused')
}

test('loopback is refused unless configured, and the refusal is logged at warn without the query', async (t) => {
  const { base, hits } = await peer(t)
  const { fetch, lines } = client()
  assert.equal(await refusal(fetch({ url: `${base}/ok?token=s3cret`, allowHosts: 'any' })), 'address-not-allowed')
  assert.deepEqual(hits, [])
  assert.equal(lines.length, 1)
  const entry = JSON.parse(lines[0]!)
  assert.equal(entry.level, 40)
  assert.equal(entry.reason, 'address-not-allowed')
  assert.doesNotMatch(lines[0]!, /s3cret/)

  const allowed = client({ allowPrivate: ['127.0.0.1'] })
  const res = await allowed.fetch({ url: `${base}/ok`, allowHosts: ['127.0.0.1'] })
  assert.equal(res.status, 200)
  assert.equal(res.body.toString(), 'hello')
})

test('hosts outside the allowlist and non-http schemes are refused before any connection', async (t) => {
  const { base, hits } = await peer(t)
  const { fetch } = client({ allowPrivate: ['127.0.0.1'] })
  assert.equal(await refusal(fetch({ url: `${base}/ok`, allowHosts: ['www.youtube.com'] })), 'host-not-allowed')
  assert.equal(await refusal(fetch({ url: 'file:///etc/passwd', allowHosts: 'any' })), 'scheme')
  assert.equal(await refusal(fetch({ url: 'not a url', allowHosts: 'any' })), 'invalid-url')
  assert.deepEqual(hits, [])
})

test('a response over the size limit is abandoned, declared or streamed', async (t) => {
  const { base } = await peer(t)
  const { fetch } = client({ allowPrivate: ['127.0.0.1'] })
  assert.equal(await refusal(fetch({ url: `${base}/big`, allowHosts: 'any', maxBytes: 1000 })), 'too-large')
  assert.equal(await refusal(fetch({ url: `${base}/big-chunked`, allowHosts: 'any', maxBytes: 4000 })), 'too-large')
  assert.equal((await fetch({ url: `${base}/big`, allowHosts: 'any', maxBytes: 5000 })).body.length, 5000)
})

test('a slow answer runs into the timeout', async (t) => {
  const { base } = await peer(t)
  const { fetch } = client({ allowPrivate: ['127.0.0.1'] })
  const started = Date.now()
  assert.equal(await refusal(fetch({ url: `${base}/slow`, allowHosts: 'any', timeoutMs: 150 })), 'timeout')
  assert.ok(Date.now() - started < 900)
})

test('redirects are followed only to allowed targets, a limited number of times', async (t) => {
  const { base, port, hits } = await peer(t)
  const { fetch } = client({ allowPrivate: ['127.0.0.1', 'localhost'] })
  const followed = await fetch({ url: `${base}/redirect?to=/ok`, allowHosts: ['127.0.0.1'] })
  assert.equal(followed.body.toString(), 'hello')
  assert.equal(followed.url, `${base}/ok`)
  // To a host not on the list (the same server under another name): refused, never requested.
  const before = hits.length
  assert.equal(await refusal(fetch({ url: `${base}/redirect?to=${encodeURIComponent(`http://localhost:${port}/ok`)}`, allowHosts: ['127.0.0.1'] })), 'host-not-allowed')
  assert.equal(hits.length, before + 1)
  // To a private address of a host allowed by name but not for private addresses.
  const strict = client({ allowPrivate: ['127.0.0.1'] })
  assert.equal(await refusal(strict.fetch({ url: `${base}/redirect?to=${encodeURIComponent('http://10.0.0.1/x')}`, allowHosts: 'any' })), 'address-not-allowed')
  const loop = `${base}/redirect?to=${encodeURIComponent(`/redirect?to=${encodeURIComponent('/redirect?to=/ok')}`)}`
  assert.equal(await refusal(fetch({ url: loop, allowHosts: 'any', maxRedirects: 1 })), 'too-many-redirects')
})

test('every resolved address is checked, and the connection goes to the checked address', async (t) => {
  const { base, port, hits } = await peer(t)
  // A name that answers with a public and a loopback address: refused as a whole.
  const mixed = client({ resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] })
  assert.equal(await refusal(mixed.fetch({ url: `http://rebind.example:${port}/ok`, allowHosts: 'any' })), 'address-not-allowed')
  // A name that exists nowhere but here: the request can only arrive if it went to the checked address.
  let lookups = 0
  const pinned = client({ allowPrivate: ['embed.test'], resolve: async () => { lookups++; return [{ address: '127.0.0.1', family: 4 }] } })
  const res = await pinned.fetch({ url: `http://embed.test:${port}/ok`, allowHosts: ['embed.test'] })
  assert.equal(res.body.toString(), 'hello')
  assert.equal(lookups, 1)
  assert.ok(hits.includes('/ok'))
  assert.ok(base)
})

test('the application has one guarded client; loopback only when the environment allows it', async (t) => {
  const { base } = await peer(t)
  const closed = await buildTestApp(t)
  assert.equal(await refusal(closed.outgoing({ url: `${base}/ok`, allowHosts: 'any' })), 'address-not-allowed')
  const open = await buildTestApp(t, { OUTGOING_ALLOW_PRIVATE: '127.0.0.1' })
  assert.equal((await open.outgoing({ url: `${base}/ok`, allowHosts: 'any' })).body.toString(), 'hello')
})
