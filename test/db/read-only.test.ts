// A database that cannot be written stops the server at start-up with a message that says what to
// fix; once it is fixed the server works again — also when SQLite left a read-only -shm behind (it
// gives its working files the database file's mode of that moment). Run as an ordinary user: root
// writes read-only files regardless.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { buildApp } from '../../src/app.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { killAtEnd, listening, start } from './processes.js'

const asRoot = process.getuid?.() === 0
const user = asRoot ? { uid: 65534, gid: 65534 } : {} // nobody

async function ownedDir(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await makeTempDir()
  t.after(async () => {
    await fs.chmod(dir, 0o755)
    await fs.rm(dir, { recursive: true, force: true })
  })
  if (asRoot) await fs.chown(dir, 65534, 65534)
  return dir
}

const serverEnv = (dir: string) => ({ DATA_DIR: dir, SESSION_SECRET: 'r'.repeat(40), PORT: '0', HOST: '127.0.0.1' })

test('a read-only database or DATA_DIR stops start-up with a clear message; once fixed, the server works again', async (t) => {
  const dir = await ownedDir(t)
  const app = await buildApp(testConfig(dir))
  await app.close()
  for (const f of await fs.readdir(dir)) if (asRoot) await fs.chown(path.join(dir, f), 65534, 65534)
  const db = path.join(dir, 'betablogg.sqlite')
  await fs.chmod(db, 0o444)

  const readOnlyDir = await ownedDir(t)
  await fs.chmod(readOnlyDir, 0o555)

  const refused = start('src/server', [], serverEnv(dir), user)
  const noDir = start('src/server', [], serverEnv(readOnlyDir), user)
  killAtEnd(t, refused, noDir)
  assert.equal(await refused.exited, 1, refused.output())
  assert.match(refused.output(), /Betablogg cannot start\.\nThe database .*betablogg\.sqlite cannot be opened for writing/)
  assert.match(refused.output(), /Not writable by this user \(uid \d+\): .*betablogg\.sqlite \(mode 444/)
  assert.doesNotMatch(refused.output(), /\n\s+at /, 'a message, not a stack trace')
  assert.equal(await noDir.exited, 1, noDir.output())
  assert.match(noDir.output(), new RegExp(`cannot be opened for writing .*Not writable by this user \\(uid \\d+\\): ${readOnlyDir.replace(/[.]/g, '\\.')} \\(mode 555`))

  // That attempt left SQLite's working files with the read-only mode.
  assert.equal((await fs.stat(`${db}-shm`)).mode & 0o777, 0o444, 'a read-only -shm was left behind')

  await fs.chmod(db, 0o644)
  const fixed = start('src/server', [], serverEnv(dir), user)
  killAtEnd(t, fixed)
  const base = await listening(fixed)
  const health = await fetch(`${base}/healthz`)
  assert.equal(health.status, 200, fixed.output())
  assert.deepEqual(await health.json(), { status: 'ok', database: true, writable: true })
  const setup = await fetch(`${base}/setup`)
  assert.equal(setup.status, 200, 'the setup page answers')
  fixed.child.kill('SIGTERM')
  assert.equal(await fixed.exited, 0, fixed.output())
})
