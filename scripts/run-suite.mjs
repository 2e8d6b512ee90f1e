// `npm run test:only`: runs the last build of the tests (.test-build/) as two runs side by side
// (scripts/test-files.mjs): the browser and process files two at a time, a process each, their
// output line by line as it comes; the rest one after another in a single process, its output
// printed whole once it is done (so the two never interleave). Arguments go to both runs (`-- --test-name-pattern=…`).
// Exits non-zero when either run fails.
import { spawn } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { suiteFiles } from './test-files.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { isolated, shared } = suiteFiles()
const common = ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-timeout=900000']
const extra = process.argv.slice(2) // last: a caller's own settings win
const env = { ...process.env, NODE_COMPILE_CACHE: '.test-build/.compile-cache' }
// Before Node 23.6 the option has its experimental name only (`engines`: ≥ 22.12).
const [major, minor] = process.versions.node.split('.').map(Number)
const oneProcess = major > 23 || (major === 23 && minor >= 6) ? '--test-isolation=none' : '--experimental-test-isolation=none'

const runs = []
// Interrupted (Ctrl-C, or CI's time limit): what the one-process run has printed so far is shown.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const r of runs) if (!r.live && r.child.exitCode === null) process.stdout.write(`\n${r.output()}\n`)
    for (const r of runs) r.child.kill(signal)
    process.exit(128 + os.constants.signals[signal])
  })
}

/** Runs node with `args`; `live`: its output is passed on line by line as it comes, else kept for the caller. */
function run(args, { live }) {
  // Without files node --test would look for tests itself, everywhere under the project.
  if (!args.some((a) => a.endsWith('.test.js'))) return Promise.resolve({ code: 0, output: '' })
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '' // whole lines only: the other run's output may come in between
      stream.setEncoding('utf8')
      stream.on('data', (text) => {
        output += text
        if (!live) return
        const lines = partial + text
        const end = lines.lastIndexOf('\n') + 1
        process.stdout.write(lines.slice(0, end))
        partial = lines.slice(end)
      })
      stream.on('end', () => { if (live && partial) process.stdout.write(`${partial}\n`) })
    }
    child.on('error', (err) => resolve({ code: 1, output: `${output}\n${err.message}\n` }))
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
    runs.push({ child, live, output: () => output })
  })
}

const [alone, together] = await Promise.all([
  // Each file's process ends with its tests: a browser launched by a file-wide hook whose tests a
  // name pattern left out is not closed by it, and would keep the process, and the run, waiting.
  run([...common, '--test-concurrency=2', '--test-force-exit', ...extra, ...isolated], { live: true }),
  // Printed whole as soon as it ends (a hang in the other run then still shows these results).
  run([...common, oneProcess, ...extra, ...shared], { live: false }).then((done) => {
    process.stdout.write(`\n${done.output}\n`)
    return done
  }),
])

// One line for the whole suite: each run ends with its own counts.
const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '') // FORCE_COLOR colours the counts
const count = (output, name) => Number([...plain(output).matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0)
const total = (name) => count(alone.output, name) + count(together.output, name)
const cancelled = total('cancelled') ? `, ${total('cancelled')} cancelled` : ''
process.stdout.write(`\nThe whole suite: ${total('tests')} tests, ${total('pass')} passed, ${total('fail')} failed${cancelled}, ${total('skipped')} skipped` +
  ` (${isolated.length} files a process each, ${shared.length} in one process)\n`)
process.exit(alone.code || together.code)
