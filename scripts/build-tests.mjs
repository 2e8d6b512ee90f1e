// Compiles the code and its tests to .test-build/ as plain JavaScript, file by file.
//
// Why: every test file runs in a process of its own, and loading TypeScript through a loader hook
// costs each process seconds of CPU; over a hundred files that was most of the suite's time. Run
// from .test-build, the tests load plain JavaScript. esbuild only strips the types (about a second);
// the type check is tsc's, run beside the tests by scripts/test.mjs instead of before them. Views,
// static files and package.json are linked in, so paths relative to the code resolve as they do
// from src/.
//
// Two libraries ship as hundreds of small modules (typebox about 370, kysely about 260), and each
// test process spent half a second only finding and linking them. The test build gets one bundled
// file of each in .test-build/node_modules, which the compiled code finds before ../node_modules:
// the same library code, loaded as one module. Production (`npm run build`) loads them as shipped.
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

for (const name of ['kysely', 'typebox']) {
  const dir = path.join(out, 'node_modules', name)
  await build({
    entryPoints: [fileURLToPath(import.meta.resolve(name))],
    outfile: path.join(dir, 'index.js'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'error',
  })
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports: './index.js' }))
}

for (const name of ['views', 'static', 'package.json']) fs.symlinkSync(path.join('..', name), path.join(out, name))
