// E-mail's place in the app: the outbox's 'email' sender (only when SMTP is configured), the pages
// that need no login (unsubscribe, forgotten password) and the digest job.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import type { Job } from '../jobs/scheduler.js'
import { registerSender, unregisterSenders } from '../outbox/registry.js'
import { passwordResetRoutes } from '../auth/reset-routes.js'
import { digestJob } from './digests.js'
import { emailSender } from './sender.js'
import { createMailTransport } from './transport.js'
import { unsubscribeRoutes } from './unsubscribe-routes.js'

export function registerMailSender(app: FastifyInstance): void {
  app.addHook('onClose', async () => unregisterSenders(app.db))
  if (!app.config.mail) return
  const transport = createMailTransport(app.config.mail, app.config.outbox.leaseMs)
  registerSender(app.db, 'email', emailSender({ db: app.db, config: app.config, settings: app.settings }, transport))
  app.addHook('onClose', async () => transport.close())
}

export async function mailRoutes(app: FastifyInstance): Promise<void> {
  await app.register(unsubscribeRoutes)
  await app.register(passwordResetRoutes)
}

export function mailJobs(config: Config): Job[] {
  return config.mail ? [digestJob] : []
}
