// app.embeds: the resolver a route calls before saving or previewing a post (see service.ts).
import type { FastifyInstance } from 'fastify'
import { createEmbedResolver, type EmbedResolver } from './service.js'

declare module 'fastify' {
  interface FastifyInstance {
    embeds: EmbedResolver
  }
}

export function registerEmbeds(app: FastifyInstance): void {
  app.decorate('embeds', createEmbedResolver({ db: app.db, outgoing: app.outgoing, config: app.config, log: app.log.child({ concern: 'embeds' }) }))
}
