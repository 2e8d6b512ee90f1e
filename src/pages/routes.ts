import type { FastifyInstance } from 'fastify'

// Fixed pages whose long text is written per language in its own template.
export async function pageRoutes(app: FastifyInstance) {
  // The accessibility statement must be reachable by everyone, logged in or not.
  app.get('/accessibility', { config: { public: true } }, async (req, reply) => {
    return reply.viewAsync(`pages/accessibility-${req.lang}`, { title: req.t('layout.accessibility') })
  })
}
