// buildTestApp: the real application (same buildApp, same options as production) on a fresh SQLite
// file in a temporary directory, closed and removed when the test ends.
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig, type Config } from '../../src/config.js'
import { useLightPasswordHashingForTests } from '../../src/auth/password.js'

useLightPasswordHashingForTests()

export async function makeTempDir(prefix = 'betablogg-test-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix))
}

export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: 'x'.repeat(40), ...env })
}

export async function buildTestApp(t: TestContext, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const dir = await makeTempDir()
  const app = await buildApp(testConfig(dir, env))
  t.after(async () => {
    await app.close()
    await fs.rm(dir, { recursive: true, force: true })
  })
  return app
}
