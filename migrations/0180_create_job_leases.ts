import type { Kysely } from 'kysely'

// One row per background job: which process holds the current run (holder, until lease_until) and
// when the next run falls due. A process runs a job only after taking the row with one UPDATE whose
// WHERE says the lease has run out and the run is due, so instances sharing a database never run a
// job twice. ISO-8601 UTC text, compared as text, as everywhere.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text') // the running process's random id; null while no run is under way
    .addColumn('lease_until', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_leases').execute()
}
