// Two processes on one SQLite database: a WordPress import on the command line beside 20 people saving
// posts on the web loses nothing and answers no 500 (every write transaction begins IMMEDIATE and waits
// its turn); a second server on the same database refuses to start, and once the first is killed
// (kill -9: no clean-up) a new one starts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { buildApp } from '../../src/app.js'
import { startSession } from '../../src/auth/sessions.js'
import { makeTempDir, testConfig } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { writeWxrFile, generatedSpec } from '../wordpress/fixtures.js'
import { killAtEnd, listening, start } from './processes.js'

const WRITERS = 20
const POSTS = 200

/** A logged-in browser over real HTTP: a session cookie, and the CSRF cookie and token of the editor. */
async function writer(base: string, session: string) {
  const jar = new Map([['betablogg', session]])
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';')
      const i = pair!.indexOf('=')
      jar.set(pair!.slice(0, i), pair!.slice(i + 1))
    }
  }
  const form = await fetch(`${base}/posts/new`, { headers: { cookie: cookie() } })
  keep(form)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1]
  assert.ok(csrf, 'the editor has a CSRF token')
  return async (title: string) => {
    const body = new URLSearchParams({ _csrf: csrf, title, body: 'Skrevet mens importen går.', lead: '', tags: '', slug: '', action: 'save' })
    const res = await fetch(`${base}/posts/new`, {
      method: 'POST', redirect: 'manual', body, headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
    })
    await res.arrayBuffer()
    return res.status
  }
}

test('an import beside 20 web writers loses nothing; a second server is refused; after kill -9 a new one starts', async (t) => {
  const dir = await makeTempDir()
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: dir, SESSION_SECRET: 'z'.repeat(40), PORT: '0', HOST: '127.0.0.1' }

  // The site, its writers and their sessions, made before the server starts.
  const setup = await buildApp(testConfig(dir))
  await makeUser(setup, { username: 'admin', role: 'admin' }) // an import needs an administrator
  const author = await makeUser(setup, { username: 'skribent' })
  const sessions: string[] = []
  for (let i = 0; i < WRITERS; i++) sessions.push(await startSession(setup.db, setup.config, author.id, { ip: null, userAgent: null }))
  await setup.close()
  const exportFile = path.join(dir, 'export.xml')
  await writeWxrFile(exportFile, generatedSpec({ posts: POSTS, commentsPerPost: 2 }))

  const first = start('src/server', [], env)
  killAtEnd(t, first)
  const base = await listening(first)
  const writers = await Promise.all(sessions.map((s) => writer(base, s)))

  // The import and a second server start together; the writers write until the import is done.
  const importing = start('src/cli/main', ['import', 'wordpress', exportFile], { ...env, LOG_LEVEL: 'silent' })
  const second = start('src/server', [], env)
  killAtEnd(t, importing, second)
  let done = false
  const statuses: number[] = []
  const writing = Promise.all(writers.map(async (write, w) => {
    for (let n = 0; !done || n < 3; n++) statuses.push(await write(`Innlegg ${n} fra skribent ${w}`))
  }))
  const importCode = await importing.exited
  done = true
  await writing

  assert.equal(importCode, 0, importing.output())
  assert.match(importing.output(), new RegExp(`posts: +${POSTS} published`), importing.output())
  assert.doesNotMatch(importing.output(), /FAILED/)
  assert.ok(statuses.length >= WRITERS * 3)
  assert.deepEqual([...new Set(statuses)], [303], `every save answered 303: ${JSON.stringify(statuses.filter((s) => s !== 303))}`)
  assert.doesNotMatch(first.output(), /database is locked|"level":50/, 'no error in the server log')

  assert.equal(await second.exited, 3, second.output())
  assert.match(second.output(), /Another Betablogg server is already running on the database .*betablogg\.sqlite/)
  assert.match(second.output(), /The command line \(npm run cli\) works while the server runs/)

  // kill -9 leaves no clean-up behind: the lock goes with the process, and a new server starts.
  first.child.kill('SIGKILL')
  await first.exited
  const third = start('src/server', [], env)
  killAtEnd(t, third)
  const again = await listening(third)
  assert.equal((await fetch(`${again}/healthz`)).status, 200)

  third.child.kill('SIGTERM')
  assert.equal(await third.exited, 0)
  const check = await buildApp(testConfig(dir))
  t.after(() => check.close())
  const titles = await check.db.selectFrom('posts').select('title').where('title', 'like', 'Innlegg % fra skribent %').execute()
  assert.equal(titles.length, statuses.length, 'every save that was answered is there')
  const imported = await check.db.selectFrom('wordpress_map').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'post').executeTakeFirstOrThrow()
  assert.equal(Number(imported.n), POSTS)
})
