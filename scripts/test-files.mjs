// Lists the compiled test files in the order `npm run test:only` starts them: the browser journeys
// first, because they take longest. The runner starts files in the order given, a few at a time, so a
// long file started last would leave the run waiting on it alone at the end.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.join(fileURLToPath(new URL('..', import.meta.url)), '.test-build', 'test')
const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.test.js'))
  .map((f) => path.join('.test-build', 'test', f))
  .sort()
const browser = (f) => f.includes(`${path.sep}browser${path.sep}`)
console.log([...files.filter(browser), ...files.filter((f) => !browser(f))].join('\n'))
