// Background jobs of the server process (publishing scheduled posts, queue reminders). A job runs
// once at start-up — so work that fell due while the server was down is done at once — and then on
// its interval. Runs never overlap, a failure is logged and retried at the next tick (or sooner, after
// the job's own retry pauses), and all jobs stop when the app closes.
import type { FastifyInstance } from 'fastify'

export interface Job {
  name: string
  intervalMs: number
  /** After a failed run, run again after these pauses (one per failure in a row) before the next tick. */
  retryAfterMs?: readonly number[]
  run(app: FastifyInstance, now: Date): Promise<void>
}

export function registerJobs(app: FastifyInstance, jobs: Job[]): void {
  const timers: NodeJS.Timeout[] = []
  const retries = new Set<NodeJS.Timeout>()
  let closing = false
  const running = new Set<Promise<void>>()

  for (const job of jobs) {
    let busy = false
    let failures = 0
    const tick = () => {
      if (busy || closing) return
      busy = true
      const p = job
        .run(app, new Date())
        .then(() => { failures = 0 })
        .catch((err) => {
          const pause = job.retryAfterMs?.[failures++]
          app.log.error({ err, job: job.name, retryInMs: pause }, 'job failed')
          if (pause === undefined || closing) return
          const retry = setTimeout(() => { retries.delete(retry); tick() }, pause).unref()
          retries.add(retry)
        })
        .finally(() => {
          busy = false
          running.delete(p)
        })
      running.add(p)
    }
    app.addHook('onReady', async () => {
      tick()
      const timer = setInterval(tick, job.intervalMs)
      timer.unref()
      timers.push(timer)
    })
  }

  app.addHook('onClose', async () => {
    closing = true
    for (const t of [...timers, ...retries]) clearTimeout(t)
    await Promise.all(running)
  })
}
