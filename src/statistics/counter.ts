// Reading counted in memory: page views per day and page kind, post views per day, and an estimate of
// distinct readers per day. Nothing here outlives the process except the numbers flushed to the
// database (src/statistics/flush.ts).
//
// Distinct readers: each view's reader (an account id, or for an anonymous reader the client address
// with its user agent) is hashed with a random seed that exists only in this process's memory and is
// replaced every Oslo day; only the hashes of the current day are kept, in memory, and only the number
// of new ones reaches the database. Neither the address, the account nor the hash is ever stored, and
// yesterday's hashes cannot be linked to today's. The number is an estimate: a restart (a new seed)
// counts a reader seen before it again, several servers count one reader once each, people behind one
// address with the same browser count once, and past MAX_READERS_PER_DAY no more are added.
//
// The hash is a seeded 53-bit one computed in JavaScript, not SHA-256: this runs for every page,
// kept ones included, and a call into OpenSSL cost more than the rest of a kept page's counting. What
// the hash is for needs no more: whoever can read this process's memory can read the seed with it,
// and the chance that two of 200,000 readers in a day share a hash is about one in 450,000.
import { randomBytes } from 'node:crypto'

const MAX_READERS_PER_DAY = 200_000
const osloDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })

export interface Counts {
  /** `${day}\t${kind}` → views */
  pages: Map<string, number>
  /** `${day}\t${slug}` → views */
  posts: Map<string, number>
  /** day → readers not counted before */
  readers: Map<string, number>
}

export class ViewCounter {
  private counts: Counts = { pages: new Map(), posts: new Map(), readers: new Map() }
  private day = ''
  private dayUntil = 0
  private seed = newSeed()
  private seen = new Set<number>()
  /** Today's `${day}\t${kind}` keys, made once a day rather than once a view. */
  private pageKeys = new Map<string, string>()

  /** One view; `reader` identifies the reader for today's distinct count and is kept only as a seeded hash. */
  record(kind: string, slug: string | undefined, reader: string, now = Date.now()): void {
    const day = this.today(now)
    let pageKey = this.pageKeys.get(kind)
    if (pageKey === undefined) this.pageKeys.set(kind, (pageKey = `${day}\t${kind}`))
    bump(this.counts.pages, pageKey)
    if (slug) bump(this.counts.posts, `${day}\t${slug}`)
    if (this.seen.size >= MAX_READERS_PER_DAY) return
    const h = seededHash(reader, this.seed)
    if (this.seen.has(h)) return
    this.seen.add(h)
    bump(this.counts.readers, day)
  }

  /** Hands over everything counted since the last call (and starts afresh). */
  take(): Counts {
    const c = this.counts
    this.counts = { pages: new Map(), posts: new Map(), readers: new Map() }
    return c
  }

  /** Puts back counts a failed flush could not write, to be tried with the next. */
  giveBack(c: Counts): void {
    for (const k of ['pages', 'posts', 'readers'] as const) for (const [key, n] of c[k]) bump(this.counts[k], key, n)
  }

  get pending(): number {
    return this.counts.pages.size + this.counts.posts.size + this.counts.readers.size
  }

  private today(now: number): string {
    if (now < this.dayUntil) return this.day
    const day = osloDayFormat.format(new Date(now))
    if (day !== this.day) {
      // A new day: a new seed, and yesterday's hashes are forgotten.
      this.day = day
      this.seed = newSeed()
      this.seen = new Set()
      this.pageKeys = new Map()
    }
    this.dayUntil = now + 60_000 - (now % 60_000) // looked up again at the next minute
    return day
  }
}

function bump(m: Map<string, number>, key: string, n = 1): void {
  m.set(key, (m.get(key) ?? 0) + n)
}

/** Two random 32-bit words. */
function newSeed(): Uint32Array {
  const bytes = randomBytes(8)
  return new Uint32Array([bytes.readUInt32LE(0), bytes.readUInt32LE(4)])
}

/**
 * A seeded 53-bit hash of a string (two multiply-xorshift lanes, as in the public-domain cyrb53): a
 * number, so the set of today's readers holds no strings.
 */
export function seededHash(text: string, seed: Uint32Array): number {
  let h1 = 0xdeadbeef ^ seed[0]!
  let h2 = 0x41c6ce57 ^ seed[1]!
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}
