// Whether a person has guidelines to accept is asked by the pages whose forms publish (the microblog
// timeline and threads, a post's comment form) on every request. The answer changes only with a new version
// ('guidelines') or the person's acceptance ('guidelines:<id>'), so it is kept per person until one
// of those changes, in any process (src/web/per-person.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { PerPerson } from '../web/per-person.js'
import { guidelinesToAccept } from './service.js'

const kept = new WeakMap<FastifyInstance, PerPerson<number | undefined>>()

/** guidelinesToAccept for this request's reader, kept until the guidelines or their acceptance change. */
export function guidelinesToAcceptKept(req: FastifyRequest, userId: number): Promise<number | undefined> {
  let answers = kept.get(req.server)
  if (!answers) kept.set(req.server, (answers = new PerPerson((id) => ['guidelines', `guidelines:${id}`])))
  return answers.get(req, userId, () => guidelinesToAccept(req.server.db, userId))
}
