// Shutting down without resets: once draining starts, a GET or HEAD arriving on a kept-alive connection
// gets 503 with Connection: close (its client retries elsewhere or later) instead of finding the
// socket torn down under it. Any other request (a POST) is still handled, with Connection: close: a
// proxy never sends a request that changes something to a second instance (it might be done twice),
// so a 503 would reach the person. Registered first, before the page cache answers anything.
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** Starts answering GETs with 503 + Connection: close (POSTs are handled, then closed); waits `graceMs` for kept-alive clients to hear it. */
    drain(graceMs: number): Promise<void>
  }
}

export function registerDrain(app: FastifyInstance): void {
  let draining = false
  app.decorate('drain', async (graceMs: number) => {
    draining = true
    // Idle kept-alive connections get until their next request (or the grace) to learn it.
    await new Promise((resolve) => setTimeout(resolve, graceMs).unref())
  })
  // A callback hook: every request passes here, and a promise each would cost them all.
  app.addHook('onRequest', (req, reply, done) => {
    if (!draining) return done()
    reply.header('connection', 'close')
    if (req.method !== 'GET' && req.method !== 'HEAD') return done()
    reply.code(503).header('retry-after', '5').header('cache-control', 'no-store')
    reply.type('text/plain; charset=utf-8').send('503 shutting down') // answered: done is not called
  })
}
