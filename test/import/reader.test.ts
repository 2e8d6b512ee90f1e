// After an import, read the site as a reader would: the post, its threaded comments, its tag
// archive, its author's page, the old permalink and the feed.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { sampleSpec } from '../wordpress/fixtures.js'
import { importFixture, oldUploads } from './helpers.js'

test('an imported post reads like any other: page, threaded comments, tag archive, author, old link, feed', async (t) => {
  const f = await importFixture(t, { SITE_VISIBILITY: 'public' })
  await f.run(await f.write(sampleSpec()), { uploadsFrom: await oldUploads(f.dir) })
  const get = (url: string) => f.app.inject({ method: 'GET', url })

  const old = await get('/2009/05/%C3%A5pne-data-i-trondheim/')
  assert.equal(old.statusCode, 301)
  const page = await get(old.headers.location as string)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /<h1[^>]*>Åpne data i Trondheim &amp; omegn<\/h1>/)
  assert.match(page.body, /Her er høydepunktene fra møtet på Øya\./)
  assert.match(page.body, /Kari Nordmann/, 'the byline of the deactivated author')
  assert.match(page.body, /data-embed-provider="youtube"/)
  assert.match(page.body, /\[Bilde mangler: Kart over Midtbyen\]/)
  const image = /<img src="(\/uploads\/[^"]+)"/.exec(page.body)
  assert.ok(image, 'the copied image is in the page')
  assert.equal((await get(image[1]!)).statusCode, 200, 'and is served')

  // Threaded: the reply sits in the replies list under Per Hansen's comment.
  const per = page.body.indexOf('Flott initiativ! Når kommer flere datasett?')
  const replies = page.body.indexOf('class="comment-replies"', per)
  const reply = page.body.indexOf('Takk, Per! Flere kommer til høsten.')
  assert.ok(per > 0 && replies > per && reply > replies, 'the reply is nested under the comment it answers')
  assert.match(page.body, /Per Hansen/)
  assert.doesNotMatch(page.body, /Kjøp nå|Slettet innlegg|Venter på godkjenning/, 'no spam, trash or pending comments')

  const archive = await get('/tags/ikt')
  assert.equal(archive.statusCode, 200)
  assert.match(archive.body, /Åpne data i Trondheim &amp; omegn/)
  assert.match(archive.body, /href="\/posts\/apne-data-i-trondheim"/)
  const norwegianTag = await get('/tags/%C3%A5pne-data')
  assert.equal(norwegianTag.statusCode, 200)
  assert.match(norwegianTag.body, /Åpne data i Trondheim &amp; omegn/)

  const author = await get('/users/kari')
  assert.equal(author.statusCode, 200)
  assert.match(author.body, /Åpne data i Trondheim &amp; omegn/)

  const feed = await get('/feed.xml')
  assert.equal(feed.statusCode, 200)
  assert.match(feed.body, /<title>Åpne data i Trondheim &amp;amp; omegn<\/title>/, 'text as text: escaped for readers that read titles as HTML')
  assert.match(feed.body, /\/posts\/apne-data-i-trondheim/)
  assert.doesNotMatch(feed.body, /Internt: budsjett 2011/, 'drafts stay out of the feed')

  const front = await get('/')
  assert.match(front.body, /Åpne data i Trondheim &amp; omegn/)
  assert.doesNotMatch(front.body, /Utkast: skole og barnehage/)
})
