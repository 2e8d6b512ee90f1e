// One of two processes sharing a database for the jobs test: not a server, just the app's job runner
// (registerJobs) on DATA_DIR's database with one job that records each run in job_test_runs. Prints
// "ready" once its jobs have started; on SIGTERM it stops them (a run under way finishes) and exits.
import path from 'node:path'
import Fastify from 'fastify'
import { sql } from 'kysely'
import { openDatabase } from '../../src/db/database.js'
import { registerJobs } from '../../src/jobs/scheduler.js'

const database = openDatabase(path.join(process.env.DATA_DIR!, 'betablogg.sqlite'))
const app = Fastify({ logger: false })
app.decorate('db', database.db)
app.addHook('onClose', async () => database.close())
registerJobs(app, [{
  name: 'test-count',
  intervalMs: Number(process.env.JOB_INTERVAL_MS),
  async run(a, now) {
    await sql`insert into job_test_runs (pid, due_ms, finished_ms) values (${process.pid}, ${now.getTime()}, null)`.execute(a.db)
    await new Promise((r) => setTimeout(r, 30))
    await sql`update job_test_runs set finished_ms = ${Date.now()} where pid = ${process.pid} and due_ms = ${now.getTime()}`.execute(a.db)
  },
}])
await app.ready()
process.stdout.write('ready\n')
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
setInterval(() => {}, 1 << 30)
