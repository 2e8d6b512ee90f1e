// Webhooks' place in the app: the outbox's 'webhook' sender and the administration pages.
import type { FastifyInstance } from 'fastify'
import { registerSender, unregisterSenders } from '../outbox/registry.js'
import { webhookSender } from './sender.js'
import { webhookRoutes } from './routes.js'

export async function registerWebhooks(app: FastifyInstance): Promise<void> {
  registerSender(app.db, 'webhook', webhookSender({ db: app.db, baseUrl: app.config.baseUrl, outgoing: app.outgoing }))
  app.addHook('onClose', async () => unregisterSenders(app.db))
  await app.register(webhookRoutes)
}
