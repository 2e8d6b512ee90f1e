// Background jobs of the server process (publishing scheduled posts, queue reminders, digests …).
// Several instances may share one database: each run of a job is claimed first through its row in
// job_leases (src/jobs/queries.ts), so a due run happens in exactly one process, whichever ticks
// first (a job that claims its own work row by row, the outbox, is marked `concurrent` instead). A job is tried at start-up — work that fell due while the site was down is done at once — and
// then on its interval; it runs when its time has come since the last run anywhere. The claim holds a
// lease renewed while the job runs: if the process dies mid-run, another takes the job once the lease
// has run out. Runs never overlap, a failure is logged and retried at the next due time, and all jobs
// stop when the app closes (a run under way finishes first). A job with retryAfterMs runs again after
// those pauses (one per failure in a row) before its next interval: the failed run's lease says so. Instances' clocks are assumed to agree
// to well within a lease (NTP).
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { claimJobLease, ensureJobLease, releaseJobLease, renewJobLease } from './queries.js'

export interface Job {
  name: string
  intervalMs: number
  /** How long a claimed run is held without renewal (renewed every third of it); default a minute. */
  leaseMs?: number
  /**
   * True for a job that is safe in several processes at once because it claims its own work row by
   * row (the outbox): it is not leased, so instances share the work and no write is made per tick.
   */
  concurrent?: boolean
  /** After a failed run, run again after these pauses (one per failure in a row) before the next tick. */
  retryAfterMs?: readonly number[]
  run(app: FastifyInstance, now: Date): Promise<void>
}

export const DEFAULT_JOB_LEASE_MS = 60_000

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * Runs `work` if this holder can claim the job's due run at `now`; false when it is not due or another
 * process has it. A run counts as due a little early (a tenth of the interval, at most a second), so
 * a timer firing a hair before the due time does not skip a whole interval.
 */
export async function runIfDue(
  db: Kysely<DB>, job: Pick<Job, 'name' | 'intervalMs' | 'leaseMs'>, holder: string, work: () => Promise<void>,
  now = new Date(), log?: FastifyBaseLogger, retryInMs?: number,
): Promise<boolean> {
  const leaseMs = job.leaseMs ?? DEFAULT_JOB_LEASE_MS
  const at = now.getTime()
  const started = performance.now()
  const clock = () => at + (performance.now() - started) // `now`, moved on by the time taken since
  const slack = Math.min(1000, job.intervalMs / 10)
  if (!(await claimJobLease(db, job.name, holder, iso(at), iso(at + slack), iso(at + leaseMs)))) return false
  const renewal = setInterval(() => {
    renewJobLease(db, job.name, holder, iso(clock() + leaseMs))
      .then((held) => { if (!held) log?.warn({ job: job.name }, 'job lease lost while running') })
      .catch((err) => log?.error({ err, job: job.name }, 'job lease renewal failed'))
  }, Math.max(1, Math.floor(leaseMs / 3)))
  renewal.unref()
  let failed = true
  try {
    await work()
    failed = false
  } finally {
    clearInterval(renewal)
    // The next run is due an interval after this one began, wherever it runs (after a failure with a
    // retry planned: once that pause is over).
    const next = failed && retryInMs !== undefined ? clock() + retryInMs : at + job.intervalMs
    const released = await releaseJobLease(db, job.name, holder, iso(clock()), iso(next))
    if (!released) log?.warn({ job: job.name }, 'job lease had been taken over when the run ended')
  }
  return true
}

// Runs under way, per app: keyed by its database handle, which every plugin context of one app shares.
const inFlight = new WeakMap<object, Set<Promise<unknown>>>()

/** Resolves once none of this app's jobs is running: after its start-up runs, say (a test's quiet start). */
export async function jobsIdle(app: FastifyInstance): Promise<void> {
  const running = inFlight.get(app.db)
  while (running?.size) await Promise.all(running)
}

export function registerJobs(app: FastifyInstance, jobs: Job[]): void {
  const holder = randomUUID() // this process (this app), in job_leases.holder
  const timers: NodeJS.Timeout[] = []
  const retries = new Set<NodeJS.Timeout>()
  let closing = false
  const running = inFlight.get(app.db) ?? new Set<Promise<unknown>>()
  inFlight.set(app.db, running)

  for (const job of jobs) {
    let busy = false
    let failures = 0
    const tick = () => {
      if (busy || closing) return
      busy = true
      const now = new Date()
      const run = () => job.run(app, now)
      const pause = job.retryAfterMs?.[failures]
      const p = (job.concurrent ? run() : runIfDue(app.db, job, holder, run, now, app.log, pause))
        .then((ran) => { if (ran !== false) failures = 0 })
        .catch((err) => {
          failures++
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
      if (!job.concurrent) await ensureJobLease(app.db, job.name)
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
