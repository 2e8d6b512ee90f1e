// Latencies as a reader on an open connection meets them, with each connection's first answer apart.
//
// Node accepts one new connection per turn of its event loop (libuv since 1.45, libuv/libuv#3696),
// and a turn answers every request read in it. A row that opens its 50 connections at once against a
// server busy with the first of them so has the k-th wait k turns before its first request is even
// read: with new searches (6 ms each) the last were accepted 4–5 s into a 5 s row, and that wait, not
// the page, was the row's p99. Behind nginx (deploy/nginx.conf keeps upstream connections open) the
// server meets few new connections. The first answers are kept, as `opening`, and printed apart.

export class Latencies {
  /** Answers on connections that had answered before, in ms. */
  readonly open: number[] = []
  /** Each connection's first answer: its wait to be accepted included. */
  readonly opening: number[] = []
  private readonly seen = new WeakSet<object>()

  /** `client`: autocannon's client, one per connection. */
  add(client: object, ms: number): 'open' | 'opening' {
    if (this.seen.has(client)) {
      this.open.push(ms)
      return 'open'
    }
    this.seen.add(client)
    this.opening.push(ms)
    return 'opening'
  }
}

/** p50 and p99 of answers on open connections; the slowest first answer (the longest wait to be accepted). */
export function summarise(l: Latencies): { p50: number; p99: number; openingMax: number } {
  const open = [...l.open].sort((a, b) => a - b)
  return { p50: Math.round(percentile(open, 50)), p99: Math.round(percentile(open, 99)), openingMax: Math.round(Math.max(0, ...l.opening)) }
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}
