// The compiled test files, in two sets (scripts/run-suite.mjs):
// - isolated: each file in a process of its own, longest kinds first: those that drive a browser,
//   then those that start node processes of their own (their children inherit the runner's flags,
//   and they stop and start servers) or have hooks for the whole file (a top-level before, after,
//   beforeEach or afterEach: in one process it would wrap every file's tests). The runner starts
//   files in the order given, a few at a time, so a long file started last would leave the run
//   waiting on it alone at the end.
// - shared: every other file, one after another in one process. They build apps on their own
//   databases and leave nothing behind, so they need no process each: starting one (loading 800
//   modules, compiling the routes' schemas for a first app) cost more CPU than most of them use.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(fileURLToPath(new URL('..', import.meta.url)), '.test-build', 'test')

const drivesBrowser = (text) => text.includes('launchBrowser(')
const startsProcesses = (text) => /from ['"]node:child_process['"]|helpers\/processes|\/processes\.js/.test(text)
const ownsProcess = (text) => startsProcesses(text) || /^(before|after)(Each)?\(/m.test(text)
/** 0: drives a browser, 1: needs a process of its own, 2: shares one. */
const kind = (text) => (drivesBrowser(text) ? 0 : ownsProcess(text) ? 1 : 2)

export function suiteFiles() {
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => ({ file: path.join('.test-build', 'test', f), kind: kind(fs.readFileSync(path.join(root, f), 'utf8')) }))
  const names = (list) => list.map((f) => f.file)
  return {
    isolated: names(files.filter((f) => f.kind < 2).sort((a, b) => a.kind - b.kind)),
    shared: names(files.filter((f) => f.kind === 2)),
  }
}
