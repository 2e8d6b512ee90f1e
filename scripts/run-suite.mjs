// `npm run test:only`: runs the last build of the tests (.test-build/) as two runs side by side
// (scripts/test-files.mjs): the browser and process files two at a time, a process each, their
// output as it comes; the rest one after another in a single process, its output printed whole once
// it is done (so the two never interleave). Arguments go to both runs (`-- --test-name-pattern=…`).
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

function run(args, { live }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8')
      stream.on('data', (text) => {
        output += text
        if (live) process.stdout.write(text)
      })
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }))
  })
}

const [alone, together] = await Promise.all([
  run([...common, '--test-concurrency=2', ...isolated], { live: true }),
  run([...common, oneProcess, ...shared], { live: false }),
])
process.stdout.write(`\n${together.output}`)

// One line for the whole suite: each run ends with its own counts.
const count = (output, name) => Number([...output.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0)
const total = (name) => count(alone.output, name) + count(together.output, name)
process.stdout.write(`\nThe whole suite: ${total('tests')} tests, ${total('pass')} passed, ${total('fail')} failed, ${total('skipped')} skipped` +
  ` (${isolated.length} files a process each, ${shared.length} in one process)\n`)
process.exit(alone.code || together.code)
