// The old blog's URLs answer 301 with the new pages after an import.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { Client } from '../helpers/client.js'
import { sampleSpec, type ItemSpec } from '../wordpress/fixtures.js'
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

test('every imported item\'s own old address redirects, whatever the permalink structure; drafts are not revealed', async (t) => {
  const f = await importFixture(t, { SITE_VISIBILITY: 'public' })
  const site = 'https://wpthemetestdata.wordpress.com'
  const page = (id: number, slug: string, link: string, extra: Partial<ItemSpec> = {}): ItemSpec =>
    ({ id, title: `Side ${id}`, type: 'page', slug, link, date: '2011-05-01T10:00:00Z', content: 'Tekst.', ...extra })
  const file = await f.write({ title: 'Theme Unit Test Data', siteUrl: site,
    authors: [{ id: 2, login: 'themedemos', email: 'demos@example.no', displayName: 'Theme Buster' }],
    items: [
      page(2, 'about', `${site}/about/`),
      page(146, 'page-with-comments', `${site}/about/page-with-comments/`, { parent: 2 }),
      page(174, 'level-3', `${site}/level-1/level-2/level-3/`),
      page(1133, '%e4%b8%ad%e6%96%87-2', `${site}/%e4%b8%ad%e6%96%87-2/`),
      page(7, 'plain-page', `${site}/?page_id=7`),
      { id: 1, title: 'Hello world', slug: 'hello-world', link: `${site}/hello-world/`, date: '2011-05-02T10:00:00Z', content: 'Hei.' },
      { id: 3, title: 'Plain', slug: 'plain', link: `${site}/?p=3`, date: '2011-05-02T10:00:00Z', content: 'Hei.' },
      { id: 4, title: 'Datert', slug: 'datert', link: `${site}/2010/09/10/datert/`, date: '2010-09-10T10:00:00Z', content: 'Hei.' },
      { id: 5, title: 'Arkiv', slug: 'arkiv-5', link: `${site}/archives/5`, date: '2010-09-10T10:00:00Z', content: 'Hei.' },
      { id: 6, title: 'Utkast', slug: 'utkast', status: 'draft', link: `${site}/utkast/`, date: '2010-09-10T10:00:00Z', content: 'Hemmelig.' },
      { id: 8, title: 'Bilde', slug: 'bilde', type: 'attachment', status: 'inherit', parent: 1, link: `${site}/hello-world/bilde/`,
        date: '2011-05-02T10:00:00Z', attachmentUrl: `${site}/wp-content/uploads/2009/05/bybrua.jpg`, meta: { _wp_attached_file: '2009/05/bybrua.jpg' } },
      { id: 9, title: 'Med bilde', slug: 'med-bilde', link: `${site}/med-bilde/`, date: '2011-05-03T10:00:00Z', content: '[gallery ids="8"]' },
    ] })
  await f.run(file, { uploadsFrom: await oldUploads(f.dir) })
  const upload = await f.app.db.selectFrom('uploads').select('path').executeTakeFirstOrThrow()
  const cases: [string, string][] = [
    ['/about/', '/posts/about'],
    ['/about', '/posts/about'],
    ['/about/page-with-comments/', '/posts/page-with-comments'],
    ['/About/Page-With-Comments', '/posts/page-with-comments'],
    ['/about/page-with-comments/?utm_source=nyhetsbrev', '/posts/page-with-comments'],
    ['/level-1/level-2/level-3/', '/posts/level-3'],
    ['/%E4%B8%AD%E6%96%87-2/', '/posts/side-1133'],
    ['/?page_id=7', '/posts/plain-page'],
    ['/hello-world/', '/posts/hello-world'],
    ['/?p=1', '/posts/hello-world'],
    ['/?p=3', '/posts/plain'],
    ['/2010/09/10/datert/', '/posts/datert'],
    ['/archives/5', '/posts/arkiv-5'],
    ['/hello-world/bilde/', `/uploads/${upload.path}`],
  ]
  for (const [from, to] of cases) assert.deepEqual(await location(f.app, from), [301, to], from)
  assert.equal((await location(f.app, '/utkast/'))[0], 404, 'a draft is not revealed')
  assert.equal((await location(f.app, '/?p=6'))[0], 200, 'the front page, as if the query were not there')
  assert.equal((await location(f.app, '/finnes/ikke/'))[0], 404)
  assert.equal((await location(f.app, '/accessibility'))[0], 200, 'a page of ours wins')
  const head = await f.app.inject({ method: 'HEAD', url: '/about/page-with-comments/' })
  assert.equal(head.statusCode, 301)
})
