// SQL of the job leases (table job_leases). Plain Kysely builder statements only, so the same calls work
// on every dialect the app runs on. Each claim, renewal and release is a single UPDATE whose WHERE decides
// it: the database serialises concurrent UPDATEs of one row, so of two instances asking at once one gets
// the row and the other sees zero rows changed.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'

const NEVER = '1970-01-01T00:00:00.000Z'

/** Makes the job's row (due at once, no lease) unless it exists. */
export async function ensureJobLease(db: Kysely<DB>, name: string): Promise<void> {
  await db
    .insertInto('job_leases')
    .values({ name, holder: null, lease_until: NEVER, next_run_at: NEVER })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

/**
 * Takes the job's run for `holder` when its lease has run out (nobody runs it, or its holder died) and
 * it is due by `dueBy`. True when this caller got it and may run the job.
 */
export async function claimJobLease(db: Kysely<DB>, name: string, holder: string, now: string, dueBy: string, leaseUntil: string): Promise<boolean> {
  const r = await db
    .updateTable('job_leases')
    .set({ holder, lease_until: leaseUntil, last_started_at: now })
    .where('name', '=', name)
    .where('lease_until', '<=', now)
    .where('next_run_at', '<=', dueBy)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Extends a run's lease while it lasts; false when the lease was lost (it ran out and was taken). */
export async function renewJobLease(db: Kysely<DB>, name: string, holder: string, leaseUntil: string): Promise<boolean> {
  const r = await db
    .updateTable('job_leases')
    .set({ lease_until: leaseUntil })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** Ends a run: the lease is free at once and the next run falls due at `nextRunAt`. */
export async function releaseJobLease(db: Kysely<DB>, name: string, holder: string, now: string, nextRunAt: string): Promise<boolean> {
  const r = await db
    .updateTable('job_leases')
    .set({ holder: null, lease_until: now, next_run_at: nextRunAt, last_finished_at: now })
    .where('name', '=', name)
    .where('holder', '=', holder)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
