// Lists the compiled test files in the order `npm run test:only` starts them, longest kinds first:
// those that drive a browser, then those that start processes of their own, then the rest. The
// runner starts files in the order given, a few at a time, so a long file started last would leave
// the run waiting on it alone at the end.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(fileURLToPath(new URL('..', import.meta.url)), '.test-build', 'test')
const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.js'))
  .sort()
  .map((f) => ({ file: path.join('.test-build', 'test', f), text: fs.readFileSync(path.join(root, f), 'utf8') }))
const rank = ({ text }) => (text.includes('launchBrowser(') ? 0 : /from ['"]node:child_process['"]|helpers\/processes|\/processes\.js/.test(text) ? 1 : 2)
console.log(files.map((f) => ({ ...f, rank: rank(f) })).sort((a, b) => a.rank - b.rank).map((f) => f.file).join('\n'))
