// Background jobs of the server process (publishing scheduled posts, queue reminders). A job runs
// once at start-up — so work that fell due while the server was down is done at once — and then on
// its interval. Runs never overlap, a failure is logged and retried at the next tick, and all jobs
// stop when the app closes.
import type { FastifyInstance } from 'fastify'

export interface Job {
  name: string
  intervalMs: number
  run(app: FastifyInstance, now: Date): Promise<void>
}

export function registerJobs(app: FastifyInstance, jobs: Job[]): void {
  const timers: NodeJS.Timeout[] = []
  let closing = false
  const running = new Set<Promise<void>>()

  for (const job of jobs) {
    let busy = false
    const tick = () => {
      if (busy || closing) return
      busy = true
      const p = job
        .run(app, new Date())
        .catch((err) => app.log.error({ err, job: job.name }, 'job failed'))
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
    for (const t of timers) clearInterval(t)
    await Promise.all(running)
  })
}
