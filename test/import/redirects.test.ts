// The old blog's URLs answer 301 with the new pages after an import.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { Client } from '../helpers/client.js'
import { sampleSpec } from '../wordpress/fixtures.js'
import { importFixture, oldUploads } from './helpers.js'

async function importedSite(t: Parameters<typeof importFixture>[0], env: Record<string, string> = { SITE_VISIBILITY: 'public' }) {
  const f = await importFixture(t, env)
  await f.run(await f.write(sampleSpec()), { uploadsFrom: await oldUploads(f.dir) })
  return f
}

async function location(app: FastifyInstance, url: string): Promise<[number, string | undefined]> {
  const res = await app.inject({ method: 'GET', url })
  return [res.statusCode, res.headers.location as string | undefined]
}

test('old permalinks, tag, category, author and feed URLs redirect permanently to the new pages', async (t) => {
  const { app } = await importedSite(t)
  const upload = await app.db.selectFrom('uploads').select('path').executeTakeFirstOrThrow()
  const cases: [string, string][] = [
    ['/?p=101', '/posts/apne-data-i-trondheim'],
    ['/index.php?p=101', '/posts/apne-data-i-trondheim'],
    ['/?page_id=104', '/posts/om-bloggen'],
    ['/2009/05/%C3%A5pne-data-i-trondheim/', '/posts/apne-data-i-trondheim'],
    ['/2009/05/%c3%a5pne-data-i-trondheim', '/posts/apne-data-i-trondheim'],
    ['/2009/05/21/%C3%A5pne-data-i-trondheim/', '/posts/apne-data-i-trondheim'],
    ['/2009/05/%C3%A5pne-data-i-trondheim/comment-page-2/', '/posts/apne-data-i-trondheim'],
    ['/2009/05/%C3%A5pne-data-i-trondheim/feed/', '/posts/apne-data-i-trondheim/comments/feed.xml'],
    ['/2011/02/fiendtlig/', '/posts/fiendtlig'],
    ['/tag/apne-data/', '/tags/%C3%A5pne-data'],
    ['/tag/bl%C3%A5b%C3%A6r/', '/tags/bl%C3%A5b%C3%A6r'],
    ['/tag/apne-data/page/2/', '/tags/%C3%A5pne-data'],
    ['/tag/apne-data/feed/', '/tags/%C3%A5pne-data/feed.xml'],
    ['/?tag=apne-data', '/tags/%C3%A5pne-data'],
    ['/category/ikt/', '/tags/ikt'],
    ['/category/byutvikling/smart-by/', '/tags/smart-by'],
    ['/category/ikt/feed/atom/', '/tags/ikt/feed.atom'],
    ['/?cat=3', '/tags/ikt'],
    ['/author/kari/', '/users/kari'],
    ['/author/ola-odegard/', '/users/ola.odegard'],
    ['/author/kari/feed/', '/users/kari/feed.xml'],
    ['/?author=2', '/users/ola.odegard'],
    ['/feed/', '/feed.xml'],
    ['/feed/atom/', '/feed.atom'],
    ['/?feed=rss2', '/feed.xml'],
    ['/comments/feed/', '/feed.xml'],
    ['/wp-content/uploads/2009/05/bybrua-300x200.jpg', `/uploads/${upload.path}`],
    ['/wp-content/uploads/2009/05/bybrua.jpg', `/uploads/${upload.path}`],
    ['/?attachment_id=105', `/uploads/${upload.path}`],
    ['/?s=%C3%A5pne+data', '/search?q=%C3%A5pne%20data'],
  ]
  for (const [from, to] of cases) assert.deepEqual(await location(app, from), [301, to], from)
})

test('old URLs with nothing behind them are not found; unpublished posts are not revealed', async (t) => {
  const { app } = await importedSite(t)
  for (const url of ['/2009/05/finnes-ikke/', '/tag/finnes-ikke/', '/category/finnes-ikke/', '/author/ingen/', '/2009/05/',
    '/2010/01/utkast-skole-og-barnehage/', '/2010/11/internt-budsjett-2011/', '/wp-content/uploads/2010/02/mangler.png']) {
    assert.equal((await location(app, url))[0], 404, url)
  }
  for (const url of ['/?p=102', '/?p=103', '/?p=999']) {
    const res = await app.inject({ method: 'GET', url })
    assert.equal(res.statusCode, 200, `${url}: the front page, as if the query were not there`)
  }
})

test('the redirect routes leave other pages alone', async (t) => {
  const { app } = await importedSite(t)
  assert.equal((await location(app, '/'))[0], 200)
  assert.equal((await location(app, '/posts/apne-data-i-trondheim'))[0], 200)
  assert.equal((await location(app, '/tags/ikt'))[0], 200)
  assert.equal((await location(app, '/feed.xml'))[0], 200)
  assert.equal((await location(app, '/12345/05/x/'))[0], 404, 'not a year: no dated permalink')
})

test('in internal mode a reader logs in first and is then sent on', async (t) => {
  const f = await importedSite(t, { SITE_VISIBILITY: 'internal' })
  const [status, to] = await location(f.app, '/2009/05/%C3%A5pne-data-i-trondheim/')
  assert.equal(status, 303)
  assert.equal(to, `/login?next=${encodeURIComponent('/2009/05/%C3%A5pne-data-i-trondheim/')}`)
  const c = new Client(f.app)
  await c.login(f.admin.username, f.admin.password)
  const res = await c.get('/2009/05/%C3%A5pne-data-i-trondheim/')
  assert.equal(res.statusCode, 301)
  assert.equal(res.headers.location, '/posts/apne-data-i-trondheim')
})
