// Which network addresses an outgoing request may reach. Everything that is not the public internet is
// refused: loopback, private (RFC 1918), carrier-grade NAT, link-local, unique-local (ULA), multicast,
// reserved and documentation ranges, and every IPv6 form that can smuggle an IPv4 address (mapped,
// NAT64, 6to4, Teredo) — a request to one of those could reach the server itself or the intranet.
import { BlockList, isIP } from 'node:net'

// Two lists: a BlockList maps IPv4 into IPv6 rules (::ffff:0:0/96 would catch every IPv4 address).
const BLOCKED_V4 = new BlockList()
const BLOCKED_V6 = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['::ffff:0:0', 96], ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48],
  ['100::', 64], ['2001::', 32], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10],
  ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED_V6.addSubnet(net, prefix, 'ipv6')

/** True when the address is not a public internet address (or is not an address at all). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  return family === 4 ? BLOCKED_V4.check(address, 'ipv4') : BLOCKED_V6.check(address, 'ipv6')
}

/** A URL's hostname without IPv6 brackets, lower case. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
}

/**
 * Host allowlist entries: `example.com` (exactly that host) or `*.example.com` (any host below it,
 * not the domain itself).
 */
export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const h = bareHost(host)
  return patterns.some((p) => {
    const pattern = p.toLowerCase()
    return pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern
  })
}
