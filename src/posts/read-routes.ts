// Reading a post: /posts/<slug>. Old slugs of published posts redirect to the current one.
import type { FastifyInstance } from 'fastify'
import { feedLinks } from '../feeds/links.js'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { commentsView } from '../comments/view.js'
import { isAllowed, isLive } from '../editorial/state-machine.js'
import { findUpload } from '../uploads/queries.js'
import { avatarOf } from '../profiles/avatar.js'
import { imageView } from '../uploads/view.js'
import { listPostTagRows } from '../tags/queries.js'
import { findNeighbours, findPostById, findPostKeyBySlug, findSlugRedirect, findUserName } from './queries.js'
import { canViewHistory, canViewPost } from './visibility.js'
import { postPath } from './post.js'
import { authorLink, readingMinutes, relatedPosts, tagLinks } from './view.js'
import { stateOf } from './editor-view.js'
import { editorialOf } from './service.js'
import { oembedDiscovery } from '../widgets/oembed.js'
import { listBookmarkedPostIds } from '../bookmarks/queries.js'
import { stewardshipNote } from '../stewardship/view.js'
import { dependsOn } from '../web/page-cache.js'
import { viewShared } from '../web/shared-page.js'
import { guidelinesToAcceptKept } from '../guidelines/kept.js'
import { postOpenGraph } from './open-graph.js'

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) })

export async function postReadRoutes(app: FastifyInstance) {
  app.get('/posts/:slug', { schema: { params: SlugParams } }, async (req, reply) => {
    const { slug } = req.params as Static<typeof SlugParams>
    const key = await findPostKeyBySlug(app.db, slug)
    if (!key) {
      const moved = await findSlugRedirect(app.db, slug)
      if (moved) return reply.redirect(postPath(moved.slug), 301)
      throw new NotFoundError('post')
    }
    if (!canViewPost(key, req.user)) throw new NotFoundError('post')
    // Its own comments and state, and other posts only as neighbours and related titles.
    dependsOn(req, 'posts', `post:${key.id}`, 'uploads')
    const published = key.status === 'published'
    // What the page shows of the reader beyond their roles (the body is shared: src/web/shared-page.ts).
    const reader = req.user
    const bookmarked = published && reader ? (await listBookmarkedPostIds(app.db, reader.id, [key.id])).has(key.id) : false
    const needsGuidelines = published && reader && !key.comments_closed ? await guidelinesToAcceptKept(req, reader.id) : undefined
    return viewShared(req, reply, 'posts/show', async (viewer) => {
      // Changed since the key was read (by a request in between or another process): the body shows
      // what is there now, and is kept only until that change is taken in (made before it).
      const post = await findPostById(app.db, key.id)
      if (!post || !canViewPost(post, req.user)) throw new NotFoundError('post')
      const published = post.status === 'published'
      const [author, tagRows, cover, neighbours, comments] = await Promise.all([
        findUserName(app.db, post.author_id),
        listPostTagRows(app.db, post.id),
        post.cover_upload_id === null ? undefined : findUpload(app.db, post.cover_upload_id),
        published && post.published_at ? findNeighbours(app.db, { id: post.id, published_at: post.published_at }) : undefined,
        published ? commentsView(app.db, post, viewer, { needsGuidelines }, { ownViews: req.renderingShared }) : undefined,
      ])
      const insider = canViewHistory(post, viewer)
      const feed = published ? await feedLinks(req, reply, { kind: 'comments', slug: post.slug, title: post.title }) : undefined
      if (published && req.settings.visibility === 'public') reply.locals.feeds.push(oembedDiscovery(app.config.baseUrl, post))
      const tags = tagRows.map((r) => r.name)
      const related = published ? await relatedPosts(app.db, post.id, tagRows.map((r) => r.tag_id)) : []
      const stewardship = await stewardshipNote(app.db, post, author, viewer)
      const coverView = cover ? imageView(cover) : undefined
      return {
        title: post.title, ...postOpenGraph(post, author, coverView),
        article: {
          title: post.title, lead: post.lead, html: post.body_html, cover: coverView, tags: tagLinks(tags),
          author: author ? authorLink(author.username, author.display_name) : undefined,
          publishedAt: post.published_at ?? undefined, commentCount: published ? post.comment_count : undefined, level: 1,
          readingMinutes: readingMinutes(post.lead, post.body_html),
        },
        authorBox: author ? { ...authorLink(author.username, author.display_name), bio: author.bio, jobTitle: author.job_title, unit: author.unit, avatar: avatarOf(author.display_name, author.avatar_path) } : undefined,
        related, permalink: `${app.config.baseUrl}${postPath(post.slug)}`,
        state: insider && (!published || post.edit_status) ? stateOf(post) : undefined,
        manage: insider ? {
          id: post.id, isEditor: !!viewer?.isEditor, isAuthor: viewer?.id === post.author_id, published,
          live: isLive(post.status), pinned: post.pinned_at !== null, queued: post.queued_at !== null,
          canDelete: isAllowed(editorialOf(post), 'delete', viewer, req.settings),
        } : undefined,
        older: neighbours?.older ? { title: neighbours.older.title, url: postPath(neighbours.older.slug) } : undefined,
        newer: neighbours?.newer ? { title: neighbours.newer.title, url: postPath(neighbours.newer.slug) } : undefined,
        bookmark: published && viewer ? { id: post.id, on: bookmarked, next: postPath(post.slug) } : undefined,
        comments, feedLinks: feed, stewardship, authorId: post.author_id,
      }
    }, {
      personal: `bookmarked:${bookmarked} guidelines:${needsGuidelines ?? ''}`,
      // The author and the owner see their own edit and hidden things; a commenter's own comment is in the body both ways (ownViews).
      owners: (page) => [page.authorId, page.stewardship?.managerId],
      expires: (page) => page.comments?.editsEnd,
    })
  })
}
