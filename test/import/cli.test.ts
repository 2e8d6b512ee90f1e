// `npm run cli -- import wordpress …`, run in-process against a temporary DATA_DIR.
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { runCli } from '../../src/cli/main.js'
import { openDatabase } from '../../src/db/database.js'
import { makeTempDir } from '../helpers/app.js'
import { PASSWORD } from '../helpers/users.js'
import { badInputs, buildWxr, sampleSpec } from '../wordpress/fixtures.js'
import { oldUploads } from './helpers.js'

async function cli(t: TestContext) {
  const dir = await makeTempDir('cli-import-')
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  const env = { DATA_DIR: path.join(dir, 'data'), NODE_ENV: 'test' }
  const run = async (...argv: string[]) => {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(argv, env, {
      out: (l) => out.push(l) > 0, err: (l) => err.push(l) > 0,
      readStdin: async () => `${PASSWORD}\n`, promptSecret: async () => undefined,
    })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const write = async (name: string, text: string) => {
    const file = path.join(dir, name)
    await fs.writeFile(file, text)
    return file
  }
  const count = async (table: 'posts' | 'users' | 'comments') => {
    const database = openDatabase(path.join(env.DATA_DIR, 'betablogg.sqlite'))
    try {
      return (await database.db.selectFrom(table).select('id').execute()).length
    } finally {
      await database.close()
    }
  }
  return { dir, run, write, count }
}

test('usage errors exit with 2 and say how to call the command', async (t) => {
  const c = await cli(t)
  for (const args of [['import'], ['import', 'blogger', 'x.xml'], ['import', 'wordpress'], ['import', 'wordpress', 'x.xml', '--unknown']]) {
    const r = await c.run(...args)
    assert.equal(r.code, 2, args.join(' '))
    assert.match(r.err, /usage: import wordpress <export\.xml> \[--uploads/)
  }
  const help = await c.run()
  assert.match(help.err, /import wordpress <export\.xml>/, 'the general usage lists the command')
})

test('imports, reports, and says so when run again', async (t) => {
  const c = await cli(t)
  assert.equal((await c.run('user', 'add', 'redaktor', '--role', 'editor,admin', '--password-stdin')).code, 0)
  const file = await c.write('betatrondheim.xml', buildWxr(sampleSpec()))
  const uploads = await oldUploads(c.dir)

  const dry = await c.run('import', 'wordpress', file, '--dry-run', '--uploads', uploads)
  assert.equal(dry.code, 0)
  assert.match(dry.out, /Dry run of the import of betatrondheim\.xml \(sha256 [0-9a-f]{64}\)/)
  assert.match(dry.out, /posts: {5}3 would be published, 4 would be imported as drafts/)
  assert.match(dry.out, /Dry run: nothing was written\./)
  assert.equal(await c.count('posts'), 0)

  const real = await c.run('import', 'wordpress', file, '--uploads', uploads)
  assert.equal(real.code, 0, real.err)
  assert.match(real.out, /users: {5}2 created \(deactivated, no password\)/)
  assert.match(real.out, /comments: {2}2 imported, 0 already imported; not imported: 1 spam, 1 trash, 1 pending, 1 pingback/)
  assert.match(real.out, /images: {4}1 copied, 0 already copied, 2 missing, 0 unusable, 1 from other sites/)
  assert.match(real.out, /post 101 «Åpne data i Trondheim & omegn»: \[missing-image\] wp-content\/uploads\/2010\/02\/mangler\.png/)
  assert.equal(await c.count('posts'), 7)

  const again = await c.run('import', 'wordpress', file, '--uploads', uploads)
  assert.equal(again.code, 0)
  assert.match(again.out, /Everything in this export is already imported: nothing was changed\./)
  assert.equal(await c.count('posts'), 7)
})

test('--skip-pages leaves pages out and counts them', async (t) => {
  const c = await cli(t)
  await c.run('user', 'add', 'redaktor', '--role', 'admin', '--password-stdin')
  const r = await c.run('import', 'wordpress', await c.write('x.xml', buildWxr(sampleSpec())), '--skip-pages')
  assert.equal(r.code, 0)
  assert.match(r.out, /not imported: 1 page, 1 attachment/)
  assert.equal(await c.count('posts'), 6)
})

test('a bad file gets a clear error with the line, exit code 1, and nothing written', async (t) => {
  const c = await cli(t)
  await c.run('user', 'add', 'redaktor', '--role', 'admin', '--password-stdin')
  const bad = badInputs()
  const cases: [keyof typeof bad, RegExp][] = [
    ['notXml', /Not an XML file: .*\(line 1\)/],
    ['truncated', /The export ends inside <.+>: the file is probably cut short \(line \d+\)/],
    ['invalidXml', /Invalid XML: .*\(line \d+, column \d+\)/],
    ['notWxr', /Not a WordPress export/],
    ['unknownVersion', /Unsupported WXR version "9\.9"/],
  ]
  for (const [name, message] of cases) {
    const r = await c.run('import', 'wordpress', await c.write(`${name}.xml`, bad[name].text))
    assert.equal(r.code, 1, name)
    assert.match(r.err, message, name)
    assert.match(r.err, /Nothing was written\.$/, name)
  }
  const missing = await c.run('import', 'wordpress', path.join(c.dir, 'finnes-ikke.xml'))
  assert.equal(missing.code, 1)
  assert.match(missing.err, /Cannot read .*finnes-ikke\.xml/)
  const noUploads = await c.run('import', 'wordpress', await c.write('ok.xml', buildWxr(sampleSpec())), '--uploads', path.join(c.dir, 'nope'))
  assert.equal(noUploads.code, 1)
  assert.match(noUploads.err, /The uploads folder .*nope does not exist\. Nothing was written\./)
  assert.equal(await c.count('posts'), 0)
  assert.equal(await c.count('users'), 1)
})

test('refuses to import before the site has an administrator', async (t) => {
  const c = await cli(t)
  const r = await c.run('import', 'wordpress', await c.write('x.xml', buildWxr(sampleSpec())))
  assert.equal(r.code, 1)
  assert.match(r.err, /Set the site up first/)
  assert.equal(await c.count('users'), 0)
})
