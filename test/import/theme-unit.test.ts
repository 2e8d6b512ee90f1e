// The importer against an export shaped like WordPress's own theme unit test data: nested pages,
// /%postname%/ links, non-Latin slugs, galleries, trackbacks and unembeddable embeds. Built here in code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ItemSpec, WxrSpec } from '../wordpress/fixtures.js'
import { importFixture, postByWpId } from './helpers.js'

const SITE = 'https://wpthemetestdata.wordpress.com'

function themeUnitSpec(items: ItemSpec[]): WxrSpec {
  return {
    title: 'Theme Unit Test Data', siteUrl: SITE,
    authors: [{ id: 2, login: 'themedemos', email: 'themeshaperwp+demos@gmail.com', displayName: 'Theme Buster', firstName: 'Theme', lastName: 'Buster' }],
    items: items.map((i) => ({ creator: 'themedemos', ...i })),
  }
}

test('percent-encoded non-Latin slugs are decoded first; a slug that loses all its letters gives way to the title, else to the id', async (t) => {
  const f = await importFixture(t)
  const file = await f.write(themeUnitSpec([
    { id: 1133, title: '中文 2', type: 'page', slug: '%e4%b8%ad%e6%96%87-2', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1134, title: 'Страница 3', type: 'page', slug: '%d1%81%d1%82%d1%80%d0%b0%d0%bd%d0%b8%d1%86%d0%b0-3', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1135, title: 'Blåbær-side', type: 'page', slug: 'bl%C3%A5b%C3%A6r', date: '2013-01-01T00:00:00Z', content: 'Side.' },
    { id: 1136, title: 'Årsmelding', slug: '2010', date: '2013-01-01T00:00:00Z', content: 'Innlegg.' },
  ]))
  const report = await f.run(file)
  assert.equal(report.posts.failed, 0)
  const slug = async (id: number) => (await postByWpId(f.app, id))?.slug
  assert.equal(await slug(1133), 'side-1133', 'not "2"')
  assert.equal(await slug(1134), 'side-1134', 'not "3"')
  assert.equal(await slug(1135), 'blabaer')
  assert.equal(await slug(1136), '2010', 'a slug that was only digits stays')
})

test('flattened replies name the display name; a bare WordPress.tv URL becomes a reported link; trackbacks are counted as trackbacks', async (t) => {
  const f = await importFixture(t)
  const tv = 'http://wordpress.tv/2009/03/16/anant-shrivastava-lightning-talk/'
  const file = await f.write(themeUnitSpec([
    { id: 1149, title: 'Post Format: Video (WordPress.tv)', slug: 'post-format-video-wordpresstv', date: '2010-06-02T00:00:00Z',
      content: `${tv}\n\nVideo from WordPress.tv.`,
      comments: [
        { id: 10, author: 'Anne', date: '2010-06-02T01:00:00Z', content: 'Top.' },
        { id: 11, author: 'themedemos', userId: 2, date: '2010-06-02T02:00:00Z', content: 'Svar.', parent: 10 },
        { id: 12, author: 'Per', date: '2010-06-02T03:00:00Z', content: 'Svar på svar.', parent: 11 },
        { id: 13, author: 'Annen blogg', url: 'http://annen.example/', date: '2010-06-02T04:00:00Z', content: 'Trackback', type: 'trackback' },
        { id: 14, author: 'Tredje blogg', url: 'http://tredje.example/', date: '2010-06-02T04:00:00Z', content: 'Pingback', type: 'pingback' },
      ] },
  ]))
  const dry = await f.run(file, { dryRun: true })
  const report = await f.run(file)
  for (const r of [dry, report]) assert.deepEqual(r.comments.skipped, { spam: 0, trash: 0, pending: 0, pingback: 1, trackback: 1, empty: 0 })
  const post = (await postByWpId(f.app, 1149))!
  const reply = await f.app.db.selectFrom('comments').select('body_html').where('post_id', '=', post.id).where('body_html', 'like', '%Svar på svar%').executeTakeFirstOrThrow()
  assert.match(reply.body_html, /^<p>@Theme Buster: Svar på svar\.<\/p>$/)
  assert.match(post.body_html, new RegExp(`<a href="${tv}"[^>]*>`))
  assert.ok(report.problems.some((p) => p.code === 'embed-as-link' && p.detail.includes('wordpress.tv')), 'reported')
})
