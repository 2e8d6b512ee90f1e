// `npm test`: builds .test-build/ (scripts/build-tests.mjs), then runs the suite (`npm run test:only`)
// and tsc's type check at the same time: tsc's half minute of one core no longer holds the start of
// the run back. The run fails if either fails; the type errors are printed last, where they are seen.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const run = (command, args, { priority, ...options } = {}) => new Promise((resolve) => {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options })
  if (priority !== undefined) try { os.setPriority(child.pid, priority) } catch { /* left at the default */ }
  let output = ''
  child.stdout?.on('data', (chunk) => { output += chunk })
  child.stderr?.on('data', (chunk) => { output += chunk })
  child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
})

const built = await run(process.execPath, ['scripts/build-tests.mjs'])
if (built.code !== 0) process.exit(built.code)
// One migrated SQLite database for every test process to copy (test/helpers/app.ts), made once here
// instead of once per process.
const template = path.join(root, '.test-build', 'template.sqlite')
const { writeMigratedDatabase } = await import(pathToFileURL(path.join(root, '.test-build', 'test', 'helpers', 'app.js')).href)
await writeMigratedDatabase(template)
// The tests' databases, uploads and backups (os.tmpdir()) go to memory when the machine has room
// there (/dev/shm with 4 GB free): on a disk, the kernel's writeback of a thousand short-lived
// databases costs CPU the tests need. SQLite behaves the same there; a process killed in a test
// loses nothing either way, which is what the tests check.
const tmpdir = inMemoryTmpdir()
const removeTmpdir = () => { if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true }) }
// Interrupted (Ctrl-C reaches the runner too): the memory is given back all the same.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { removeTmpdir(); process.exit(130) })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
const [typecheck, tests] = await Promise.all([
  // At the lowest priority: it takes the CPU the tests leave (the run's tail), not the CPU of the
  // browser files starting beside it, whose first pages then took over 10 s to load.
  run(process.execPath, [tsc, '--noEmit', '-p', '.'], { stdio: ['ignore', 'pipe', 'pipe'], priority: 19 }),
  run('npm', ['run', 'test:only'], { env: { ...process.env, TEST_SQLITE_TEMPLATE: template, ...(tmpdir ? { TMPDIR: tmpdir } : {}) } }),
])
removeTmpdir()
if (typecheck.code !== 0) process.stderr.write(`\nType check failed (tsc --noEmit):\n${typecheck.output}\n`)
process.exit(tests.code || typecheck.code)

function inMemoryTmpdir() {
  try {
    const { bavail, bsize, type } = fs.statfsSync('/dev/shm')
    if (type !== 0x01021994 || bavail * bsize < 4 * 1024 ** 3) return undefined // TMPFS_MAGIC
    const dir = fs.mkdtempSync('/dev/shm/betablogg-tests-')
    fs.chmodSync(dir, 0o1777) // as /tmp: a test runs the server as another user (test/db/read-only.test.ts)
    return dir
  } catch {
    return undefined
  }
}
