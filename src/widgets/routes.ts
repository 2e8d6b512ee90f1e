// Widgets for the intranet and the LMS: small pages made to be framed by the origins an administrator
// lists, in the viewer's language, with links that open in the page around them. And an oEmbed
// provider, so an intranet can turn a post's address into a card. On an internal site every address
// carries the site's widget key (src/widgets/key.ts); without it the answer is 403.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { NotFoundError } from '../errors.js'
import { logRefusal } from '../web/refusals.js'
import { findPostBySlug, findUserName } from '../posts/queries.js'
import { postPath } from '../posts/post.js'
import { allowFraming } from './frame.js'
import { isWidgetKey } from './key.js'
import { widgetPosts, widgetUpdates, type PostsSource } from './view.js'
import { oembedFor, parsePostUrl } from './oembed.js'

const Limit = Type.Optional(Type.String({ pattern: '^(10|[1-9])$' }))
const Key = Type.Optional(Type.String({ maxLength: 100 }))
const PostsQuery = Type.Object({
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  author: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  limit: Limit, key: Key,
})
const UpdatesQuery = Type.Object({ limit: Limit, key: Key })
const PostParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 200 }) })
const OEmbedQuery = Type.Object({
  url: Type.String({ minLength: 1, maxLength: 2000 }),
  format: Type.Optional(Type.String({ maxLength: 10 })),
  maxwidth: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  maxheight: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  key: Key,
})
const DEFAULT_LIMIT = 5

/** Reachable without login (the visibility gate in src/web/hooks.ts lets them through). */
const open = { config: { public: true } }

export async function widgetRoutes(app: FastifyInstance) {
  /** Whether this request may see widgets: always on a public site, with the key on an internal one. */
  function admitted(req: FastifyRequest, key: string | undefined): boolean {
    return req.settings.visibility === 'public' || isWidgetKey(app.config.sessionSecret, req.settings.widgetKeyNonce, key)
  }

  async function render(req: FastifyRequest, reply: FastifyReply, key: string | undefined, view: string, data: () => Promise<Record<string, unknown>>) {
    allowFraming(reply, req.settings.widgetOrigins)
    if (!admitted(req, key)) {
      logRefusal(req, 403, 'forbidden', { why: 'widget key missing or wrong' })
      return reply.code(403).viewAsync('widgets/unavailable', { title: req.t('widgets.unavailable.title') })
    }
    return reply.viewAsync(view, await data())
  }

  app.get('/widgets/posts', { ...open, schema: { querystring: PostsQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof PostsQuery>
    const source: PostsSource = q.tag ? { kind: 'tag', name: q.tag } : q.author ? { kind: 'author', username: q.author } : { kind: 'all' }
    return render(req, reply, q.key, 'widgets/posts', async () => {
      const found = await widgetPosts(app.db, source, Number(q.limit ?? DEFAULT_LIMIT))
      if (!found) throw new NotFoundError(source.kind)
      const title = source.kind === 'tag' ? req.t('widgets.posts.tagTitle', { tag: found.more!.name })
        : source.kind === 'author' ? req.t('widgets.posts.authorTitle', { name: found.more!.name }) : req.t('widgets.posts.title')
      return { title, posts: found.posts, more: found.more?.url ?? '/' }
    })
  })

  app.get('/widgets/updates', { ...open, schema: { querystring: UpdatesQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof UpdatesQuery>
    return render(req, reply, q.key, 'widgets/updates', async () => ({
      title: req.t('widgets.updates.title'), updates: await widgetUpdates(app.db, Number(q.limit ?? DEFAULT_LIMIT)),
    }))
  })

  app.get('/widgets/post/:slug', { ...open, schema: { params: PostParams, querystring: Type.Object({ key: Key }) } }, async (req, reply) => {
    const { slug } = req.params as Static<typeof PostParams>
    return render(req, reply, (req.query as { key?: string }).key, 'widgets/post', async () => {
      const post = await findPostBySlug(app.db, slug)
      if (!post || post.status !== 'published') throw new NotFoundError('post')
      const author = await findUserName(app.db, post.author_id)
      return {
        title: post.title,
        post: { title: post.title, url: postPath(post.slug), lead: post.lead || post.summary, publishedAt: post.published_at ?? '', author: author?.display_name ?? '' },
      }
    })
  })

  // oEmbed 1.0 (https://oembed.com): JSON only; XML is "not implemented" as the specification allows.
  app.get('/oembed', { ...open, schema: { querystring: OEmbedQuery } }, async (req, reply) => {
    const q = req.query as Static<typeof OEmbedQuery>
    if (q.format && q.format !== 'json') return reply.code(501).type('text/plain; charset=utf-8').send('Only format=json is supported')
    if (!admitted(req, q.key)) {
      logRefusal(req, 403, 'forbidden', { why: 'widget key missing or wrong', url: q.url.slice(0, 200) })
      return reply.code(403).type('text/plain; charset=utf-8').send('Forbidden')
    }
    const slug = parsePostUrl(q.url, app.config.baseUrl)
    const post = slug ? await findPostBySlug(app.db, slug) : undefined
    if (!post || post.status !== 'published') return reply.code(404).type('text/plain; charset=utf-8').send('Not found')
    const author = await findUserName(app.db, post.author_id)
    const body = oembedFor(post, author, {
      baseUrl: app.config.baseUrl, siteName: req.t('site.name'),
      key: req.settings.visibility === 'internal' ? q.key : undefined,
      maxwidth: q.maxwidth ? Number(q.maxwidth) : undefined, maxheight: q.maxheight ? Number(q.maxheight) : undefined,
    })
    return reply.type('application/json; charset=utf-8').send(body)
  })
}
