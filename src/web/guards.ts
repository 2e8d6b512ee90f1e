// Route guards (preHandler). Services check roles and ownership again: a guard is the door, the
// service is the lock.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ForbiddenError } from '../errors.js'
import { redirectToLogin } from './hooks.js'

export async function requireLogin(req: FastifyRequest, reply: FastifyReply) {
  if (!req.user) return redirectToLogin(req, reply)
}

export async function requireEditor(req: FastifyRequest, reply: FastifyReply) {
  if (!req.user) return redirectToLogin(req, reply)
  if (!req.user.isEditor) throw new ForbiddenError('editor role required')
}

export async function requireAdmin(req: FastifyRequest, reply: FastifyReply) {
  if (!req.user) return redirectToLogin(req, reply)
  if (!req.user.isAdmin) throw new ForbiddenError('admin role required')
}
