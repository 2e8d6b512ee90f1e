import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { requireAdmin } from '../web/guards.js'
import { checked, submitForm } from '../web/forms.js'
import { ConflictError, NotFoundError } from '../errors.js'
import { createUser, reinvite, setActive, setRoles } from './service.js'
import { findUserById, listUsers } from './queries.js'
import { countUserSessions } from '../auth/queries.js'

const PAGE_SIZE = 50
const NOTICES = ['admin.users.rolesSaved', 'admin.users.statusSaved']
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  after: Type.Optional(Type.String({ maxLength: 100 })),
  welcome: Type.Optional(Type.String()),
})
const NewUserBody = Type.Object({
  username: Type.String({ maxLength: 200 }),
  displayName: Type.String({ maxLength: 500 }),
  email: Type.Optional(Type.String({ maxLength: 500 })),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  passwordConfirm: Type.Optional(Type.String({ maxLength: 1024 })),
  isEditor: Type.Optional(Type.String()),
  isAdmin: Type.Optional(Type.String()),
  _csrf: Type.Optional(Type.String()),
})
const RolesBody = Type.Object({ isEditor: Type.Optional(Type.String()), isAdmin: Type.Optional(Type.String()), _csrf: Type.Optional(Type.String()) })

// Administration of accounts. Every route requires the admin role.
export async function adminUserRoutes(app: FastifyInstance) {
  // Encapsulated: applies to the routes of this plugin only, all under /admin/users.
  app.addHook('preHandler', requireAdmin)

  app.get('/admin/users', { schema: { querystring: ListQuery } }, async (req, reply) => {
    const query = req.query as Static<typeof ListQuery>
    const rows = await listUsers(app.db, { q: query.q?.trim() || undefined, after: query.after, limit: PAGE_SIZE })
    const more = rows.length > PAGE_SIZE
    const users = rows.slice(0, PAGE_SIZE)
    const nextAfter = more ? users[users.length - 1]?.username : undefined
    return reply.viewAsync('users/admin-list', { title: req.t('admin.users.title'), users, q: query.q ?? '', nextAfter, welcome: !!query.welcome })
  })

  const newUserPage = (req: FastifyRequest) => ({ title: req.t('admin.users.new') })

  app.get('/admin/users/new', async (req, reply) => {
    return reply.viewAsync('users/admin-new', {
      ...newUserPage(req),
      form: { values: { username: '', displayName: '', email: '', isEditor: false, isAdmin: false }, errors: {} },
    })
  })

  app.post('/admin/users/new', { schema: { body: NewUserBody } }, async (req, reply) => {
    const body = req.body as Static<typeof NewUserBody>
    const values = { username: body.username, displayName: body.displayName, email: body.email ?? '', isEditor: checked(body.isEditor), isAdmin: checked(body.isAdmin) }
    let created: { id: number; invitation?: string } | undefined
    const ok = await submitForm(reply, 'users/admin-new', values, newUserPage(req), async () => {
      created = await createUser(app.db, req.user, { ...values, password: body.password || undefined, passwordConfirm: body.passwordConfirm })
    })
    if (!ok || !created) return reply
    req.log.info({ userId: created.id }, 'user created')
    if (!created.invitation) return reply.redirect(`/admin/users/${created.id}?created=1`, 303)
    // The invitation link is shown once, on this response, and never stored in clear text.
    return reply.viewAsync('users/admin-invited', {
      title: req.t('admin.users.created'), userId: created.id, link: `${app.config.baseUrl}/invite/${created.invitation}`,
      mailedTo: app.config.mail && values.email ? values.email.trim().toLowerCase() : undefined,
    })
  })

  async function editPage(req: FastifyRequest, id: number, extra: { notice?: string; problem?: string } = {}) {
    const user = await findUserById(app.db, id)
    if (!user) throw new NotFoundError('user')
    return { title: req.t('admin.users.edit', { name: user.display_name }), target: user, sessions: await countUserSessions(app.db, id), ...extra }
  }

  /** Runs a change of the account; a refusal with a reason (the last administrator) is shown on its page. */
  async function change(req: FastifyRequest, reply: FastifyReply, id: number, action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action()
      return true
    } catch (err) {
      if (!(err instanceof ConflictError) || !err.messageKey) throw err
      const html = await reply.viewAsync('users/admin-edit', await editPage(req, id, { problem: err.messageKey }))
      reply.code(409).send(html)
      return false
    }
  }

  app.get('/admin/users/:id', { schema: { params: IdParams, querystring: Type.Object({ created: Type.Optional(Type.String()), saved: Type.Optional(Type.String()) }) } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const q = req.query as { created?: string; saved?: string }
    const saved = q.saved && NOTICES.includes(q.saved) ? q.saved : undefined
    return reply.viewAsync('users/admin-edit', await editPage(req, id, { notice: q.created ? 'admin.users.created' : saved }))
  })

  app.post('/admin/users/:id/roles', { schema: { params: IdParams, body: RolesBody } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const body = req.body as Static<typeof RolesBody>
    if (!(await change(req, reply, id, () => setRoles(app.db, req.user, id, { isEditor: checked(body.isEditor), isAdmin: checked(body.isAdmin) })))) return reply
    req.log.info({ userId: id }, 'roles changed')
    return reply.redirect(`/admin/users/${id}?saved=admin.users.rolesSaved`, 303)
  })

  for (const [action, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post(`/admin/users/:id/${action}`, { schema: { params: IdParams } }, async (req, reply) => {
      const { id } = req.params as Static<typeof IdParams>
      if (!(await change(req, reply, id, () => setActive(app.db, req.user, id, active)))) return reply
      req.log.info({ userId: id, active }, 'user status changed')
      return reply.redirect(`/admin/users/${id}?saved=admin.users.statusSaved`, 303)
    })
  }

  app.post('/admin/users/:id/invite', { schema: { params: IdParams } }, async (req, reply) => {
    const { id } = req.params as Static<typeof IdParams>
    const token = await reinvite(app.db, req.user!, id)
    const mailedTo = app.config.mail ? (await findUserById(app.db, id))?.email ?? undefined : undefined
    return reply.viewAsync('users/admin-invited', { title: req.t('admin.users.reinvite'), userId: id, link: `${app.config.baseUrl}/invite/${token}`, mailedTo })
  })
}
