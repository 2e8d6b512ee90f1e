import type { FastifyInstance } from 'fastify'

// The front page. The posts feature replaces this placeholder with the list of published posts.
export async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (req, reply) => {
    return reply.viewAsync('home/index', { title: req.t('site.name') })
  })
}
