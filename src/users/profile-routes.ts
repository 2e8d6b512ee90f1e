import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { decodeCursor } from '../posts/cursor.js'
import { listPublishedPosts } from '../posts/queries.js'
import { cardPage, cardScopes } from '../posts/view.js'
import { findUserByUsername } from './queries.js'
import { rolesOf } from './user.js'
import { feedLinks } from '../feeds/links.js'
import { personFollowButton } from '../following/service.js'
import { avatarOf } from '../profiles/avatar.js'
import { mayEditProfile } from '../profiles/service.js'
import { dependsOn } from '../web/page-cache.js'
import { viewShared } from '../web/shared-page.js'

const POSTS_PER_PAGE = 20
const Params = Type.Object({ username: Type.String({ maxLength: 64 }) })
const ProfileQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 100 })) })

// A person's profile (the author page): name, roles, short bio, their published posts (paginated)
// and a link to their microblog updates.
export async function profileRoutes(app: FastifyInstance) {
  app.get('/users/:username', { schema: { params: Params, querystring: ProfileQuery } }, async (req, reply) => {
    const { username } = req.params as Static<typeof Params>
    const user = await findUserByUsername(app.db, username)
    if (!user) throw new NotFoundError('user')
    const before = decodeCursor((req.query as Static<typeof ProfileQuery>).before)
    dependsOn(req, 'posts', 'uploads') // the list and the covers (each card's post below); the person is 'users' (every page)
    // Shared by every reader of the same kind who follows the person or not (src/web/shared-page.ts);
    // the person themself gets their own (the edit link).
    const follow = await personFollowButton(app.db, req.user, user)
    return viewShared(req, reply, 'users/profile', async (viewer) => {
      const rows = await listPublishedPosts(app.db, { authorId: user.id, before, limit: POSTS_PER_PAGE })
      dependsOn(req, ...cardScopes(rows))
      const posts = await cardPage(app.db, rows, POSTS_PER_PAGE)
      const url = `/users/${encodeURIComponent(user.username)}`
      const feed = await feedLinks(req, reply, { kind: 'author', username: user.username, name: user.display_name })
      return {
        title: user.display_name, feedLinks: feed,
        profile: {
          username: user.username, displayName: user.display_name, bio: user.bio, createdAt: user.created_at,
          active: !!user.is_active, roles: rolesOf({ isEditor: !!user.is_editor, isAdmin: !!user.is_admin }),
          url, updatesUrl: `${url}/updates`, jobTitle: user.job_title, unit: user.unit, avatar: avatarOf(user.display_name, user.avatar_path),
          editUrl: mayEditProfile(viewer, user.id) ? `${url}/edit` : undefined,
        },
        posts: { cards: posts.cards, next: posts.next, later: !!before },
        follow,
      }
    }, { personal: follow ? `following:${follow.on}` : '', owners: () => [user.id] })
  })
}
