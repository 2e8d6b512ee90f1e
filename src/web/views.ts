import type { FastifyInstance } from 'fastify'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import { packagePath } from '../paths.js'

export const VIEWS_DIR = packagePath('views')

// Templates are compiled once and cached (production: true) in every environment, tests included.
export const VIEW_OPTIONS = { views: VIEWS_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] as [false, 'nl'] }

export async function registerViews(app: FastifyInstance): Promise<void> {
  const eta = new Eta(VIEW_OPTIONS)
  await app.register(fastifyView, {
    engine: { eta },
    root: VIEWS_DIR,
    production: true,
    viewExt: 'eta',
  })
}
