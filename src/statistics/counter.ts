// Reading counted in memory: page views per day and page kind, post views per day, and an estimate of
// distinct readers per day. Nothing here outlives the process except the numbers flushed to the
// database (src/statistics/flush.ts).
//
// Distinct readers: each view's reader (an account id, or for an anonymous reader the client address
// with its user agent) is hashed with a random salt that exists only in this process's memory and is
// replaced every Oslo day; only the hashes of the current day are kept, in memory, and only the number
// of new ones reaches the database. Neither the address, the account nor the hash is ever stored, and
// yesterday's hashes cannot be linked to today's. The number is an estimate: a restart (a new salt)
// counts a reader seen before it again, several servers count one reader once each, people behind one
// address with the same browser count once, and past MAX_READERS_PER_DAY no more are added.
import { hash, randomBytes } from 'node:crypto'

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
  private salt = randomBytes(32).toString('hex')
  private seen = new Set<string>()

  /** One view; `reader` identifies the reader for today's distinct count and is kept only as a salted hash. */
  record(kind: string, slug: string | undefined, reader: string, now = Date.now()): void {
    const day = this.today(now)
    bump(this.counts.pages, `${day}\t${kind}`)
    if (slug) bump(this.counts.posts, `${day}\t${slug}`)
    if (this.seen.size >= MAX_READERS_PER_DAY) return
    const h = hash('sha256', this.salt + reader, 'base64url').slice(0, 22)
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
      // A new day: a new salt, and yesterday's hashes are forgotten.
      this.day = day
      this.salt = randomBytes(32).toString('hex')
      this.seen = new Set()
    }
    this.dayUntil = now + 60_000 - (now % 60_000) // looked up again at the next minute
    return day
  }
}

function bump(m: Map<string, number>, key: string, n = 1): void {
  m.set(key, (m.get(key) ?? 0) + n)
}
