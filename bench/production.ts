// The server as production runs it (`npm start`, the Dockerfile): compiled by tsc into dist/, not
// transpiled at start-up by tsx. Under tsx the same server held about 50 MB more (its transpiled
// sources and their source maps), which the benchmark's memory column then counted.
import { spawnSync } from 'node:child_process'

/**
 * node's arguments that start the compiled server (relative to the checkout), as `npm start` and the
 * Dockerfile give them; BENCH_NODE_FLAGS adds V8's or Node's own flags after those, to measure what
 * one does (e.g. `--max-old-space-size=512`, or `--max-semi-space-size=16`: the last one counts).
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=8']
export const PRODUCTION_SERVER = [
  ...PRODUCTION_NODE_FLAGS,
  ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  '--enable-source-maps', 'dist/src/server.js',
]

/** Compiles the checkout at `root` (`npm run build`, about half a minute); throws with tsc's output if it fails. */
export function buildProduction(root: string, log: (line: string) => void): void {
  const started = Date.now()
  const run = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`npm run build failed (${run.status}):\n${run.stdout}${run.stderr}`)
  log(`Built dist/ (npm run build) in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
