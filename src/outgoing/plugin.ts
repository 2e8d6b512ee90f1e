// Registers the guarded outgoing HTTP client (client.ts) as app.outgoing: features that talk to other
// servers (oEmbed, webhooks) take it from here, so every request passes the same checks.
import type { FastifyInstance } from 'fastify'
import { createOutgoingClient, type OutgoingClient } from './client.js'

declare module 'fastify' {
  interface FastifyInstance {
    outgoing: OutgoingClient
  }
}

export function registerOutgoing(app: FastifyInstance): void {
  const log = app.log.child({ concern: 'outgoing' })
  app.decorate('outgoing', createOutgoingClient({ allowPrivate: app.config.outgoingAllowPrivate, log, userAgent: `Betablogg (+${app.config.baseUrl})` }))
}
