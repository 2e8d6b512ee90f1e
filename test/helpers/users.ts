// Test data for accounts, made through the real service so the rules hold.
import type { FastifyInstance } from 'fastify'
import { createUser } from '../../src/users/service.js'
import { trustPasswordForTests } from '../../src/auth/password-strength.js'

export const PASSWORD = 'correct horse battery staple'
// Hard to guess (test/auth/password-strength.test.ts checks it with the estimator): accepted without
// loading the estimator's dictionaries, which would cost every test file that makes accounts 0.4 s.
trustPasswordForTests(PASSWORD)

export interface TestUser { id: number; username: string; password: string }

let counter = 0

export async function makeUser(
  app: FastifyInstance,
  opts: { username?: string; role?: 'employee' | 'editor' | 'admin' | 'editor+admin'; displayName?: string; email?: string } = {},
): Promise<TestUser> {
  const username = opts.username ?? `user${++counter}${Math.floor(Math.random() * 1e6)}`
  const role = opts.role ?? 'employee'
  const { id } = await createUser(app.db, null, {
    username,
    displayName: opts.displayName ?? `Test ${username}`,
    email: opts.email,
    password: PASSWORD,
    passwordConfirm: PASSWORD,
    isEditor: role === 'editor' || role === 'editor+admin',
    isAdmin: role === 'admin' || role === 'editor+admin',
  })
  return { id, username, password: PASSWORD }
}
