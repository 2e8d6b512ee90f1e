// Backups that cannot look whole when they are not, and a restore that checks before it replaces.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from '../../src/cli/main.js'
import { lockDatabase } from '../../src/db/server-lock.js'
import { makeTempDir } from '../helpers/app.js'

function io(stdin = '') {
  const out: string[] = []
  const err: string[] = []
  return {
    out, err, text: () => [...out, ...err].join('\n'),
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readStdin: async () => stdin, promptSecret: async () => undefined },
  }
}

async function site(t: TestContext) {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir, SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
  const cli = async (...args: string[]) => {
    const r = io()
    const code = await runCli(args, env, r.io)
    return { code, text: r.text() }
  }
  await cli('user', 'add', 'kari')
  await fs.mkdir(path.join(dir, 'uploads', '2026', '11'), { recursive: true })
  await fs.writeFile(path.join(dir, 'uploads', '2026', '11', 'a.png'), 'png-bytes')
  return { dir, env, cli }
}

async function backup(cli: Awaited<ReturnType<typeof site>>['cli']): Promise<string> {
  const r = await cli('backup')
  assert.equal(r.code, 0, r.text)
  const dir = /Backup written to (.+) \(database and 1 upload files\)/.exec(r.text)?.[1]
  assert.ok(dir, r.text)
  return dir
}

const users = async (cli: Awaited<ReturnType<typeof site>>['cli']) => (await cli('user', 'list')).text.split('\n').slice(1).map((l) => l.split('\t')[0]).sort()

test('backup writes a manifest of every file; restore puts it back, and refuses while a server runs', async (t) => {
  const s = await site(t)
  const dir = await backup(s.cli)
  assert.doesNotMatch(dir, /\.partial$/)
  const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'))
  assert.equal(manifest.integrityCheck, 'ok')
  assert.match(manifest.schemaVersion, /^\d{4}_/)
  assert.equal(manifest.appVersion, JSON.parse(await fs.readFile('package.json', 'utf8')).version)
  assert.deepEqual(manifest.files.map((f: { path: string }) => f.path), ['betablogg.sqlite', 'uploads/2026/11/a.png'])
  assert.match(manifest.files[1].sha256, /^[0-9a-f]{64}$/)
  assert.equal(manifest.files[1].size, 9)

  // Life goes on after the backup.
  await s.cli('user', 'add', 'ola')
  await fs.writeFile(path.join(s.dir, 'uploads', '2026', '11', 'a.png'), 'changed')
  assert.deepEqual(await users(s.cli), ['kari', 'ola'])

  const server = lockDatabase(path.join(s.dir, 'betablogg.sqlite'))
  const refused = await s.cli('restore', dir)
  server.release()
  assert.equal(refused.code, 1)
  assert.match(refused.text, /Restore refused: a Betablogg server is running on .*betablogg\.sqlite: stop it first, then restore\. Nothing was changed\./)
  assert.deepEqual(await users(s.cli), ['kari', 'ola'])

  const restored = await s.cli('restore', dir)
  assert.equal(restored.code, 0, restored.text)
  assert.match(restored.text, /Restored the backup of .* database and 1 upload files/)
  assert.deepEqual(await users(s.cli), ['kari'])
  assert.equal(await fs.readFile(path.join(s.dir, 'uploads', '2026', '11', 'a.png'), 'utf8'), 'png-bytes')
  const aside = /The data it replaced is in (\S+)\./.exec(restored.text)?.[1]
  assert.ok(aside)
  assert.equal(await fs.readFile(path.join(aside, 'uploads', '2026', '11', 'a.png'), 'utf8'), 'changed', 'the replaced data is kept')
})

test('restore refuses a changed backup, a folder without a manifest and an unfinished one, and changes nothing', async (t) => {
  const s = await site(t)
  const dir = await backup(s.cli)
  await s.cli('user', 'add', 'ola')
  const refuse = async (folder: string, why: RegExp) => {
    const r = await s.cli('restore', folder)
    assert.equal(r.code, 1, r.text)
    assert.match(r.text, why)
    assert.match(r.text, /Nothing was changed\./)
  }
  const manifestFile = path.join(dir, 'manifest.json')
  const original = await fs.readFile(manifestFile, 'utf8')

  const forged = JSON.parse(original)
  forged.files[0].sha256 = '0'.repeat(64)
  await fs.writeFile(manifestFile, JSON.stringify(forged))
  await refuse(dir, /betablogg\.sqlite does not match the manifest/)
  forged.files.pop()
  forged.files[0].sha256 = JSON.parse(original).files[0].sha256
  await fs.writeFile(manifestFile, JSON.stringify(forged))
  await refuse(dir, /files its manifest does not list \(uploads\/2026\/11\/a\.png\)/)
  await fs.writeFile(manifestFile, '{"format": 1, "files": [')
  await refuse(dir, /manifest\.json is not valid JSON/)
  await fs.writeFile(manifestFile, original)

  await fs.writeFile(path.join(dir, 'uploads', '2026', '11', 'a.png'), 'png-bytez')
  await refuse(dir, /uploads\/2026\/11\/a\.png does not match the manifest/)
  await fs.writeFile(path.join(dir, 'uploads', '2026', '11', 'a.png'), 'png-bytes')

  await fs.rm(manifestFile)
  await refuse(dir, /has no manifest\.json: it is not a complete Betablogg backup/)
  await fs.writeFile(manifestFile, original)
  await fs.rename(dir, dir + '.partial')
  await refuse(dir + '.partial', /is an unfinished backup \(\.partial\)/)

  assert.deepEqual(await users(s.cli), ['kari', 'ola'], 'nothing was replaced')
  assert.deepEqual((await fs.readdir(s.dir)).filter((f) => f.startsWith('replaced-')), [])
})

test('a backup killed midway leaves only a .partial folder, which restore refuses', async (t) => {
  const s = await site(t)
  // The same file kind and loader this test runs with (TypeScript through tsx, or the compiled build).
  const script = fileURLToPath(new URL(`./kill-midway${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url))
  const child = spawn(process.execPath, [...process.execArgv, script, 'manifest'], { env: { ...process.env, ...s.env }, stdio: 'ignore' })
  const signal = await new Promise((resolve) => child.once('exit', (_code, sig) => resolve(sig)))
  assert.equal(signal, 'SIGKILL')

  const left = await fs.readdir(path.join(s.dir, 'backups'))
  assert.equal(left.length, 1)
  assert.match(left[0]!, /\.partial$/, 'nothing without .partial: nothing looks whole')
  const partial = path.join(s.dir, 'backups', left[0]!)
  assert.ok((await fs.stat(path.join(partial, 'betablogg.sqlite'))).size > 0, 'it was killed after copying the database')
  await assert.rejects(fs.stat(path.join(partial, 'manifest.json')))
  const r = await s.cli('restore', partial)
  assert.equal(r.code, 1)
  assert.match(r.text, /unfinished backup/)

  // The next backup says so.
  const next = await s.cli('backup')
  assert.match(next.text, new RegExp(`Unfinished backups left by interrupted runs \\(safe to delete\\): .*${left[0]!.replace(/[.]/g, '\\.')}`))
})
