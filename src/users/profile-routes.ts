import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { findUserByUsername } from './queries.js'
import { rolesOf } from './user.js'

const Params = Type.Object({ username: Type.String({ maxLength: 64 }) })

// A person's profile: name, roles, short bio. Features add their lists (posts, updates) to it.
export async function profileRoutes(app: FastifyInstance) {
  app.get('/users/:username', { schema: { params: Params } }, async (req, reply) => {
    const { username } = req.params as Static<typeof Params>
    const user = await findUserByUsername(app.db, username)
    if (!user) throw new NotFoundError('user')
    return reply.viewAsync('users/profile', {
      title: user.display_name,
      profile: {
        username: user.username, displayName: user.display_name, bio: user.bio, createdAt: user.created_at,
        active: !!user.is_active, roles: rolesOf({ isEditor: !!user.is_editor, isAdmin: !!user.is_admin }),
      },
    })
  })
}
