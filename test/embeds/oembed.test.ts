// Embeds from ordinary addresses, resolved through oEmbed endpoints served here on loopback (the
// configuration points the providers at them, and allows loopback for 127.0.0.1 only).
import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { buildTestApp } from '../helpers/app.js'
import { loggedIn } from '../helpers/client.js'
import { makeUser } from '../helpers/users.js'
import { postRow, writePost } from '../posts/helpers.js'
import { iframeSrcFromOembed } from '../../src/embeds/providers.js'
import { renderMarkdown } from '../../src/markdown/index.js'
import { checkContent } from '../../src/posts/prepublish-checks.js'

const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'
const SLIDES = 'https://www.slideshare.net/trondheimkommune/digital-strategi-for-trondheim'
const SLIDES_SRC = 'https://www.slideshare.net/slideshow/embed_code/key/AbCdEf123456'
const STREAM = 'https://trondheimkommune.sharepoint.com/:v:/s/IKT/EUrAmrktb4ZMhUcY9J2PqMEBD_9x_l0DyYWVgAvp-TTOMw?e=ZpQOOw'
const STREAM_SRC = `https://trondheimkommune.sharepoint.com/sites/IKT/_layouts/15/embed.aspx?UniqueId=${GUID}`

test('only an iframe of the provider\'s own player host is taken from an answer, rebuilt', () => {
  assert.equal(iframeSrcFromOembed('youtube', '<iframe width="200" src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed" allowfullscreen></iframe>'),
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ')
  assert.equal(iframeSrcFromOembed('vimeo', '<iframe src="https://player.vimeo.com/video/76979871?h=a1b2&amp;app_id=122963"></iframe>'),
    'https://player.vimeo.com/video/76979871?h=a1b2&dnt=1')
  assert.equal(iframeSrcFromOembed('slideshare', `<iframe src="${SLIDES_SRC}" width="427"></iframe>`), SLIDES_SRC)
  assert.equal(iframeSrcFromOembed('slideshare', '<iframe src="//www.slideshare.net/slideshow/embed_code/key/AbCdEf123456"></iframe>'), SLIDES_SRC)
  assert.equal(iframeSrcFromOembed('stream', `<iframe src="https://trondheimkommune.sharepoint.com/sites/IKT/_layouts/15/embed.aspx?UniqueId={${GUID.toUpperCase()}}&amp;embed=%7B%7D&amp;referrer=x"></iframe>`), STREAM_SRC)
  for (const [provider, html] of [
    ['youtube', '<iframe src="https://evil.example/embed/dQw4w9WgXcQ"></iframe>'],
    ['youtube', '<iframe src="http://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'],
    ['slideshare', '<iframe src="https://www.slideshare.net/slideshow/embed_code/key/x&quot;onload=alert(1)"></iframe>'],
    ['slideshare', '<iframe src="javascript:alert(1)"></iframe>'],
    ['slideshare', `<iframe src="${SLIDES_SRC}/../../evil"></iframe>`],
    ['stream', `<iframe src="https://evil.example/_layouts/15/embed.aspx?UniqueId=${GUID}"></iframe>`],
    ['stream', `<iframe src="https://a.sharepoint.com.evil.example/_layouts/15/embed.aspx?UniqueId=${GUID}"></iframe>`],
    ['vimeo', '<script src="https://player.vimeo.com/video/1"></script>'],
    ['vimeo', 42],
  ] as const) {
    assert.equal(iframeSrcFromOembed(provider, html), undefined, String(html))
  }
})

test('a SlideShare address without a resolved player stays a link, and the check says so', () => {
  const html = renderMarkdown(SLIDES, 'post')
  assert.equal(html, `<p><a href="${SLIDES}" rel="noopener noreferrer ugc">${SLIDES}</a></p>\n`)
  assert.deepEqual(checkContent(html, SLIDES), [{ code: 'embed-not-resolved', severity: 'warning', detail: SLIDES }])
  const resolved = renderMarkdown(SLIDES, 'post', new Map([[SLIDES, SLIDES_SRC]]))
  assert.match(resolved, new RegExp(`^<figure class="embed" data-embed-provider="slideshare" data-embed-src="${SLIDES_SRC}"><a href="${SLIDES}"`))
  assert.deepEqual(checkContent(resolved, SLIDES), [])
  // A resolved src that is not the provider's player is ignored; a derivable one (YouTube) is used instead.
  assert.match(renderMarkdown('https://youtu.be/dQw4w9WgXcQ', 'post', new Map([['https://youtu.be/dQw4w9WgXcQ', 'https://evil.example/x']])),
    /data-embed-src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/)
})

interface Hit { path: string; url: string }

// The providers' oEmbed endpoints, as the test wants them to answer.
async function providers(t: TestContext) {
  const hits: Hit[] = []
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const address = u.searchParams.get('url') ?? ''
    hits.push({ path: u.pathname, url: address })
    const json = (body: unknown) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(body)) }
    if (address.includes('/missing')) { res.statusCode = 404; return res.end('Not Found') }
    if (address.includes('/huge')) return json({ type: 'rich', html: `<iframe src="${SLIDES_SRC}"></iframe>`, padding: 'x'.repeat(100_000) })
    if (address.includes('/evil')) return json({ type: 'rich', html: '<iframe src="https://evil.example/slides"></iframe><script>alert(1)</script>' })
    if (u.pathname === '/slideshare') return json({ type: 'rich', version: '1.0', title: 'Digital strategi', html: `<iframe src="${SLIDES_SRC}" width="427" height="356" frameborder="0"></iframe>` })
    if (u.pathname === '/stream') return json({ type: 'video', html: `<iframe src="${STREAM_SRC}&amp;embed=%7B%7D" width="640"></iframe>` })
    if (u.pathname === '/youtube') return json({ type: 'video', title: 'Video', html: '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"></iframe>' })
    res.statusCode = 404
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => new Promise<void>((r) => server.close(() => r())))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    hits,
    env: {
      OEMBED_ENABLED: 'true',
      OEMBED_ENDPOINTS: `slideshare=${base}/slideshare,stream=${base}/stream,youtube=${base}/youtube`,
    },
  }
}

test('a SlideShare address as an author copies it becomes a click-to-load embed, asked once and cached', async (t) => {
  const { hits, env } = await providers(t)
  const app = await buildTestApp(t, { ...env, OUTGOING_ALLOW_PRIVATE: '127.0.0.1' })
  const c = await loggedIn(app, await makeUser(app))
  const { id } = await writePost(c, { title: 'Strategien', body: `Se presentasjonen:\n\n${SLIDES}\n\nOg videoen:\n\n${STREAM}` })
  const row = await postRow(app, id)
  assert.match(row.body_html, new RegExp(`<figure class="embed" data-embed-provider="slideshare" data-embed-src="${SLIDES_SRC}"><a href="${SLIDES}" [^>]*>Se presentasjonen på SlideShare</a></figure>`))
  assert.ok(row.body_html.includes(`data-embed-provider="stream" data-embed-src="${STREAM_SRC.replace(/&/g, '&amp;')}"`), row.body_html)
  assert.deepEqual(hits.map((h) => [h.path, h.url]), [['/slideshare', SLIDES], ['/stream', STREAM]])
  const cached = await app.db.selectFrom('embed_cache').selectAll().orderBy('provider').execute()
  assert.deepEqual(cached.map((r) => [r.provider, r.src, r.title]), [['slideshare', SLIDES_SRC, 'Digital strategi'], ['stream', STREAM_SRC, null]])

  // Saved again and previewed: the answers come from the cache, nothing is asked again.
  await c.post(`/posts/${id}/edit`, { title: 'Strategien', body: `${SLIDES}\n\nMer tekst.`, tags: '', lead: '', slug: row.slug, action: 'save' }, { from: `/posts/${id}/edit` })
  const preview = await c.post(`/posts/${id}/edit`, { title: 'Strategien', body: SLIDES, tags: '', lead: '', slug: row.slug, action: 'preview' }, { from: `/posts/${id}/edit` })
  assert.equal(hits.length, 2)
  assert.match(preview.body, /data-embed-provider="slideshare" data-embed-src=/)
  assert.doesNotMatch(preview.body, /kan ikke vises innebygd/)

  // The click-to-load script may frame the players, and nothing else.
  const csp = String(preview.headers['content-security-policy'])
  assert.match(csp, /frame-src [^;]*https:\/\/www\.slideshare\.net/)
  assert.match(csp, /frame-src [^;]*https:\/\/\*\.sharepoint\.com/)
})

test('an address the provider cannot resolve stays a link; the pre-publish check says so in every language', async (t) => {
  const { hits, env } = await providers(t)
  const app = await buildTestApp(t, { ...env, OUTGOING_ALLOW_PRIVATE: '127.0.0.1' })
  const c = await loggedIn(app, await makeUser(app))
  const missing = 'https://www.slideshare.net/someone/missing-deck'
  const evil = 'https://www.slideshare.net/someone/evil-deck'
  const huge = 'https://www.slideshare.net/someone/huge-deck'
  const { id } = await writePost(c, { body: `${missing}\n\n${evil}\n\n${huge}` })
  const row = await postRow(app, id)
  assert.doesNotMatch(row.body_html, /<figure|evil\.example|<script|<iframe/)
  assert.match(row.body_html, new RegExp(`<p><a href="${missing}"`))
  assert.equal(hits.length, 3)
  const failed = await app.db.selectFrom('embed_cache').select(['src', 'expires_at', 'fetched_at']).execute()
  assert.equal(failed.length, 3)
  assert.ok(failed.every((r) => r.src === null && Date.parse(r.expires_at) - Date.parse(r.fetched_at) <= 3600_000), 'failures are asked again soon')

  for (const [lang, text] of [['nb', 'kan ikke vises innebygd'], ['nn', 'kan ikkje visast innebygd'], ['en', 'cannot be shown embedded']]) {
    const submit = await c.get(`/posts/${id}/submit`, { 'accept-language': lang })
    assert.equal(submit.statusCode, 200)
    assert.ok(submit.body.includes(text), lang)
    assert.ok(submit.body.includes(missing))
  }
  // Saving again within the retry time asks nobody.
  await c.post(`/posts/${id}/edit`, { title: 'Et innlegg', body: missing, tags: '', lead: '', slug: row.slug, action: 'save' }, { from: `/posts/${id}/edit` })
  assert.equal(hits.length, 3)
})

test('the endpoints are never asked on loopback unless the configuration allows it; off means no requests', async (t) => {
  const { hits, env } = await providers(t)
  const closed = await buildTestApp(t, env) // no OUTGOING_ALLOW_PRIVATE
  const c = await loggedIn(closed, await makeUser(closed))
  const { id } = await writePost(c, { body: SLIDES })
  assert.match((await postRow(closed, id)).body_html, /^<p><a href=/)
  assert.equal(hits.length, 0)

  const off = await buildTestApp(t, { ...env, OUTGOING_ALLOW_PRIVATE: '127.0.0.1', OEMBED_ENABLED: 'false' })
  const d = await loggedIn(off, await makeUser(off))
  const written = await writePost(d, { body: `${SLIDES}\n\nhttps://youtu.be/dQw4w9WgXcQ` })
  const html = (await postRow(off, written.id)).body_html
  assert.match(html, /^<p><a href=/)
  assert.match(html, /data-embed-src="https:\/\/www\.youtube-nocookie\.com\/embed\/dQw4w9WgXcQ"/, 'YouTube needs no answer to embed')
  assert.equal(hits.length, 0)
})
