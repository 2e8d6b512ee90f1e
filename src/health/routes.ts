import type { FastifyInstance } from 'fastify'
import { pingDatabase } from '../db/database.js'

// For load balancers and monitoring: 200 when the database answers, 503 when it does not.
export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', { config: { public: true }, logLevel: 'warn' }, async (req, reply) => {
    let database = false
    try {
      database = pingDatabase(app.database.sqlite)
    } catch (err) {
      req.log.error({ err }, 'health check: database unavailable')
    }
    reply.header('cache-control', 'no-store')
    return reply.code(database ? 200 : 503).send({ status: database ? 'ok' : 'unavailable', database })
  })
}
