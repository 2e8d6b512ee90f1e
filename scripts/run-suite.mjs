// `npm run test:only`: runs the last build of the tests (.test-build/) as two runs side by side
// (scripts/test-files.mjs): the browser and process files two at a time, a process each, their
// output line by line as it comes; the rest one after another in a single process, its output
// printed whole once it is done (so the two never interleave). Arguments go to both runs (`-- --test-name-pattern=…`).
// Exits non-zero when either run fails.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { suiteFiles } from './test-files.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { isolated, shared } = suiteFiles()
const common = ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-timeout=900000', ...process.argv.slice(2)]
const env = { ...process.env, NODE_COMPILE_CACHE: '.test-build/.compile-cache' }
// Node 22 knows the option by its experimental name only (`engines`: ≥ 22.12).
const oneProcess = Number(process.versions.node.split('.')[0]) >= 23 ? '--test-isolation=none' : '--experimental-test-isolation=none'

/** Runs node with `args`; `live`: its output is passed on line by line as it comes, else kept for the caller. */
function run(args, { live }) {
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
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
  })
}

const [alone, together] = await Promise.all([
  run([...common, '--test-concurrency=2', ...isolated], { live: true }),
  // Printed whole as soon as it ends (a hang in the other run then still shows these results).
  run([...common, oneProcess, ...shared], { live: false }).then((done) => {
    process.stdout.write(`\n${done.output}\n`)
    return done
  }),
])

// One line for the whole suite: each run ends with its own counts.
const count = (output, name) => Number([...output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0)
const total = (name) => count(alone.output, name) + count(together.output, name)
process.stdout.write(`\nThe whole suite: ${total('tests')} tests, ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped` +
  ` (${isolated.length} files a process each, ${shared.length} in one process)\n`)
process.exit(alone.code || together.code)
