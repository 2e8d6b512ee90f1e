// buildApp(config): the whole application, used by the server, the tests and the benchmark alike.
// This file is the table of contents: ecosystem plugins → our plugins → decorators → hooks → features.
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyCookie from '@fastify/cookie'
import fastifyStatic from '@fastify/static'
import type { Kysely } from 'kysely'
import type { Config } from './config.js'
import { packagePath } from './paths.js'
import type { Database } from './db/database.js'
import { openConfiguredDatabase } from './db/open.js'
import type { DB } from './db/schema.js'
import { AjvCompiler, type RouteDefinition as AjvCompilerRoute } from '@fastify/ajv-compiler'
import { migrateToLatest } from './db/migrate.js'
import { SettingsStore } from './settings/store.js'
import { openChangeFeed, registerChangeFeed } from './coherence/index.js'
import { registerViews } from './web/views.js'
import { registerSecurity } from './web/security.js'
import { registerRequestHooks } from './web/hooks.js'
import { registerErrorHandlers } from './web/error-handler.js'
import { redactUrl } from './web/log-url.js'
import { cacheBudget } from './web/cache-budget.js'
import { contentChanged, registerPageCache } from './web/page-cache.js'
import { registerSessionPageCache } from './web/session-page-cache.js'
import { registerSharedPages } from './web/shared-page.js'
import { registerConfirmation } from './web/confirm.js'
import { registerCanonicalIds } from './web/canonical-ids.js'
import { registerFormBody } from './web/form-body.js'
import { registerDrain } from './web/drain.js'
import { registerOutgoing } from './outgoing/plugin.js'
import { registerEmbeds } from './embeds/plugin.js'
import { healthRoutes } from './health/routes.js'
import { languageRoutes } from './web/language-routes.js'
import { authRoutes } from './auth/routes.js'
import { setupRoutes } from './auth/setup-routes.js'
import { invitationRoutes } from './auth/invitation-routes.js'
import { adminUserRoutes } from './users/admin-routes.js'
import { profileRoutes } from './users/profile-routes.js'
import { accountSettingsRoutes } from './users/settings-routes.js'
import { themeRoutes } from './users/theme-routes.js'
import { siteSettingsRoutes } from './settings/routes.js'
import { homeRoutes } from './home/routes.js'
import { postEditorRoutes } from './posts/editor-routes.js'
import { postAutosaveRoutes } from './posts/autosave-routes.js'
import { postReadRoutes } from './posts/read-routes.js'
import { myPostRoutes } from './posts/my-routes.js'
import { postHistoryRoutes } from './posts/history-routes.js'
import { editorialRoutes } from './editorial/routes.js'
import { submitRoutes } from './editorial/submit-routes.js'
import { publishScheduledJob } from './editorial/jobs.js'
import { tagRoutes } from './tags/routes.js'
import { uploadRoutes } from './uploads/routes.js'
import { searchRoutes } from './search/routes.js'
import { feedRoutes } from './feeds/routes.js'
import { feedSettingsRoutes } from './feeds/settings-routes.js'
import { guidelineRoutes } from './guidelines/routes.js'
import { pageRoutes } from './pages/routes.js'
import { registerJobs } from './jobs/scheduler.js'
import { registerUnreadCount } from './notifications/unread.js'
import { queueReminderJob } from './notifications/queue-reminders.js'
import { notificationRoutes } from './notifications/routes.js'
import { microRoutes } from './micro/routes.js'
import { commentRoutes } from './comments/routes.js'
import { moderationRoutes } from './moderation/routes.js'
import { reportRoutes } from './moderation/report-routes.js'
import { redirectRoutes } from './redirects/routes.js'
import { widgetRoutes } from './widgets/routes.js'
import { widgetAdminRoutes } from './widgets/admin-routes.js'
import { registerWebhooks } from './webhooks/register.js'
import { outboxRoutes } from './outbox/routes.js'
import { outboxJob } from './outbox/worker.js'
import { mailRoutes, mailJobs, registerMailSender } from './mail/register.js'
import { createSso } from './sso/index.js'
import { ssoRoutes } from './sso/routes.js'
import { ssoSettingsRoutes } from './sso/settings-routes.js'
import { archiveRoutes } from './archive/routes.js'
import { privacyRoutes } from './privacy/routes.js'
import { retentionJob, retentionRoutes } from './retention/routes.js'
import { followingRoutes } from './following/routes.js'
import { bookmarkRoutes } from './bookmarks/routes.js'
import { reviewReminderJob, stewardshipRoutes } from './stewardship/routes.js'
import { registerViewCounting } from './statistics/hook.js'
import { statisticsRoutes } from './statistics/routes.js'
import { monthlySummaryJob } from './statistics/summary.js'
import { profileEditRoutes } from './profiles/routes.js'
import { identityRoutes } from './identity/routes.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Kysely<DB>
    database: Database
    settings: SettingsStore
  }
}

const sharedValidatorPool = AjvCompiler()
type ValidatorFactory = ReturnType<typeof sharedValidatorPool>
const compiledValidators = new Map<string, ReturnType<ValidatorFactory>>()

/**
 * The shared pool's compiler, remembering each route schema's validator by its content: every app
 * built in a process (tests build hundreds) makes new but equal schema objects, which Ajv would
 * compile again.
 */
function buildValidator(...args: Parameters<typeof sharedValidatorPool>): ValidatorFactory {
  const compile = sharedValidatorPool(...args)
  const poolKey = JSON.stringify(args)
  // Fastify hands the compiler the route's part and schema (the package's type says only a schema).
  return (route) => {
    const { httpPart, schema } = route as unknown as AjvCompilerRoute
    const key = `${poolKey}\0${httpPart}\0${JSON.stringify(schema)}`
    let validator = compiledValidators.get(key)
    if (!validator) compiledValidators.set(key, validator = compile(route))
    return validator
  }
}

export const STATIC_DIR = packagePath('static')

/** `logStream`: where the log goes (standard output unless given; tests read it). */
export async function buildApp(config: Config, opts: { logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'], remove: true },
      // Invitation tokens and feed keys in URLs are secrets: never logged (src/web/log-url.ts).
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      },
    },
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimitBytes,
    // Path parameters (slugs, tokens, usernames) longer than this are refused before any handler runs.
    routerOptions: { maxParamLength: 500 },
    // One validator pool for every app in the process: a route's compiled schema is reused by the
    // next app built from the same code (tests build hundreds; compiling them was most of the cost).
    schemaController: { compilersFactory: { buildValidator } },
  })

  const database = await openConfiguredDatabase(config) // SQLite, or PostgreSQL with DATABASE_URL
  await migrateToLatest(database.db)
  app.decorate('config', config)
  app.decorate<Database>('database', database)
  app.decorate('db', database.db)
  // Changes by any process on this database, for every cache (src/coherence); feeds and search answers die with any.
  const changes = openChangeFeed(database, contentChanged)
  registerChangeFeed(app, changes)
  app.decorate('settings', new SettingsStore(database.db, config, changes))
  registerOutgoing(app) // app.outgoing: the one guarded client for requests to other servers
  registerEmbeds(app) // app.embeds: oEmbed lookups for embed addresses, before a post is rendered
  app.addHook('onClose', async () => database.close())

  registerDrain(app) // first: while shutting down, every request gets 503 + Connection: close

  // Ecosystem plugins
  await app.register(fastifyCookie, { secret: config.sessionSecret })
  registerFormBody(app) // our own: one rule for the text of every form (src/web/form-body.ts)
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    decorateReply: false,
    cacheControl: true,
    maxAge: '1h',
  })
  await registerViews(app)

  // Our plugins and hooks. The page cache comes first: a hit for an anonymous reader skips the rest.
  const budget = cacheBudget(config.cacheMegabytes)
  registerPageCache(app, budget.anonymousPages)
  await registerSecurity(app)
  registerRequestHooks(app)
  registerSessionPageCache(app, budget.sessionPages) // after the session hook, before the unread count: a hit skips both
  registerSharedPages(app, { bodies: budget.sharedBodies, frames: budget.layoutFrames }) // page bodies rendered once for everyone who sees the same (viewShared)
  registerUnreadCount(app) // after the session hook: needs req.user
  registerErrorHandlers(app)
  registerCanonicalIds(app) // /micro/0x10 is no id: 404 before validation coerces it
  registerConfirmation(app) // after the CSRF check (registerSecurity): only a genuine form is asked about
  registerViewCounting(app) // daily reading counters, cached pages included; nothing about the reader is stored

  // Features
  await app.register(healthRoutes)
  await app.register(languageRoutes)
  await app.register(setupRoutes)
  const sso = createSso(app) // single sign-on (OpenID Connect), when OIDC_* is configured
  await app.register(authRoutes, { external: sso?.external })
  await app.register(ssoRoutes, { sso })
  await app.register(ssoSettingsRoutes)
  await app.register(invitationRoutes, { external: sso?.external })
  await app.register(adminUserRoutes)
  await app.register(profileRoutes)
  await app.register(accountSettingsRoutes)
  await app.register(themeRoutes)
  await app.register(siteSettingsRoutes)
  await app.register(homeRoutes)
  await app.register(postEditorRoutes)
  await app.register(postAutosaveRoutes)
  await app.register(postReadRoutes)
  await app.register(myPostRoutes)
  await app.register(postHistoryRoutes)
  await app.register(submitRoutes)
  await app.register(editorialRoutes)
  await app.register(tagRoutes)
  await app.register(uploadRoutes)
  await app.register(searchRoutes)
  await app.register(feedRoutes)
  await app.register(feedSettingsRoutes)
  await app.register(guidelineRoutes)
  await app.register(pageRoutes)
  await app.register(microRoutes)
  await app.register(commentRoutes)
  await app.register(reportRoutes)
  await app.register(moderationRoutes)
  await app.register(notificationRoutes)
  await app.register(widgetRoutes) // framed by the intranet and the LMS; oEmbed
  await app.register(widgetAdminRoutes)
  await app.register(redirectRoutes) // old WordPress URLs → 301 to the new pages
  await app.register(outboxRoutes) // administrators: the queue of outgoing messages
  registerMailSender(app) // e-mail through the outbox, when SMTP is configured
  await registerWebhooks(app) // webhooks through the outbox; /admin/webhooks
  await app.register(mailRoutes) // unsubscribe, forgotten password
  await app.register(archiveRoutes) // Noark 5 archive extract (administrators)
  await app.register(privacyRoutes) // GDPR: own data export; erasure by administrators
  await app.register(retentionRoutes) // retention rules, dry run (administrators)
  await app.register(followingRoutes) // follow people and tags; the personal timeline
  await app.register(bookmarkRoutes) // «Les senere»: private bookmarks of posts and updates
  await app.register(stewardshipRoutes) // owners and review dates of posts; the editors' review list
  await app.register(statisticsRoutes) // evidence of use for the editors: charts, CSV, monthly summary
  await app.register(profileEditRoutes) // profile picture, job title, unit, presentation; /avatars/*
  await app.register(identityRoutes) // site name, tagline, logo, front-page introduction, footer links
  registerJobs(app, [queueReminderJob, publishScheduledJob, outboxJob(config.outbox), ...mailJobs(config), retentionJob, reviewReminderJob, monthlySummaryJob])

  return app
}
