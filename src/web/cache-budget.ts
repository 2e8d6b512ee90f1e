// How CACHE_MB is shared among the caches of made pages. Each cache evicts its least recently used
// entries past its share; the shares follow what each holds in a day of the internal site: shared
// bodies are the most reused, a page kept per person or per anonymous URL less, layout frames are small.
const SHARES = { anonymousPages: 0.2, sessionPages: 0.2, sharedBodies: 0.3, layoutFrames: 0.1, feeds: 0.2 } as const

export type CacheBudget = Record<keyof typeof SHARES, number>

/** Bytes per cache for `megabytes` in all. */
export function cacheBudget(megabytes: number): CacheBudget {
  const bytes = megabytes * 1024 * 1024
  return Object.fromEntries(Object.entries(SHARES).map(([name, share]) => [name, Math.floor(bytes * share)])) as CacheBudget
}
