// Compiles the code and its tests to .test-build/ as plain JavaScript, file by file.
//
// Why: every test file runs in a process of its own, and loading TypeScript through a loader hook
// costs each process seconds of CPU; over a hundred files that was most of the suite's time. Run
// from .test-build, the tests load plain JavaScript. esbuild only strips the types (about a second);
// the type check is tsc's, run beside the tests by scripts/test.mjs, where it fills a core the test
// processes leave idle instead of holding them back for half a minute. Views, static files and
// package.json are linked in, so paths relative to the code resolve as they do from src/.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = path.join(root, '.test-build')
fs.rmSync(out, { recursive: true, force: true })

await build({
  absWorkingDir: root,
  // What tsconfig.json includes, declaration files aside.
  entryPoints: ['src', 'test', 'migrations', 'bench'].flatMap((dir) => fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => path.join(dir, f))),
  outdir: out,
  outbase: '.',
  format: 'esm',
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning',
})

for (const name of ['views', 'static', 'package.json']) fs.symlinkSync(path.join('..', name), path.join(out, name))
