import type { FastifyInstance } from 'fastify'
import { hasRoomToWrite, pingDatabase, probeWrite } from '../db/database.js'
import { checkPostgres } from '../db/postgres/open.js'

// For load balancers and monitoring: 200 only when the database answers AND can be written (a full
// disk or a read-only file reads fine while nobody can log in); 503 otherwise.
export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { public: true }, logLevel: 'warn' }, async (req, reply) => {
    let database = false
    let writable = false
    try {
      if (app.database.kind === 'postgres') {
        ;({ database, writable } = await checkPostgres(app.db))
      } else {
        database = pingDatabase(app.database.sqlite)
        // Takes the write lock and changes a page, then rolls back: proves a write could be made, writes nothing.
        await probeWrite(app.db)
        writable = await hasRoomToWrite(app.config.databaseFile)
        if (!writable) req.log.error({ dataDir: app.config.dataDir }, 'health check: the disk is full')
      }
    } catch (err) {
      req.log.error({ err }, 'health check: database unavailable or not writable')
    }
    const ok = database && writable
    reply.header('cache-control', 'no-store')
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, writable })
  })
}
