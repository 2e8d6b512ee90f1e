// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  export interface Options {
    url: string
    connections?: number
    duration?: number
    /** Stop after this many requests instead of after `duration`. */
    amount?: number
    headers?: Record<string, string>
    requests?: { method?: string; path?: string; headers?: Record<string, string>; setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown> }[]
    timeout?: number
  }
  export interface Histogram {
    average: number
    mean: number
    total: number
    p50: number
    p90: number
    p99: number
    max: number
  }
  export interface Result {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    latency: Histogram
    requests: Histogram
    throughput: Histogram
    statusCodeStats: Record<string, { count: number }>
  }
  /** A promise of the result that also emits 'response' (client, status, bytes, ms) per answer. */
  export interface Instance extends PromiseLike<Result> {
    on(event: 'response', listener: (client: any, status: number, bytes: number, ms: number) => void): this
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
