import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EMBED_FRAME_ORIGINS, embedFromUrl, renderMarkdown, sanitizeHtml } from '../../src/markdown/index.js'
import { localiseEmbeds } from '../../src/markdown/embed.js'

const YT = 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ'
const GUID = '0a1b2c3d-4e5f-6789-abcd-ef0123456789'

test('YouTube URL forms map to youtube-nocookie', () => {
  for (const url of [
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s',
    'http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ',
    'https://youtu.be/dQw4w9WgXcQ',
    'https://youtu.be/dQw4w9WgXcQ?si=abc',
    'https://www.youtube.com/embed/dQw4w9WgXcQ',
    'https://www.youtube.com/shorts/dQw4w9WgXcQ',
    'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ',
  ]) {
    const embed = embedFromUrl(url)
    assert.equal(embed?.provider, 'youtube', url)
    assert.equal(embed?.src, YT, url)
    assert.equal(embed?.label, 'Se videoen på YouTube')
  }
  assert.equal(embedFromUrl('https://youtu.be/dQw4w9WgXcQ')?.url, 'https://youtu.be/dQw4w9WgXcQ')
})

test('YouTube: bad ids and look-alike hosts are not embeds', () => {
  for (const url of [
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/watch?v=dQw4w9WgXcQx',
    'https://www.youtube.com/watch?v=dQw4w9WgX"Q',
    'https://youtu.be/dQw4w9WgXcQ/extra',
    'https://www.youtube.com/channel/UC1234567890',
    'https://youtube.com.evil.com/watch?v=dQw4w9WgXcQ',
    'https://evilyoutube.com/watch?v=dQw4w9WgXcQ',
    'https://youtu.be.evil.com/dQw4w9WgXcQ',
    'https://user:pw@youtu.be/dQw4w9WgXcQ',
    'https://youtu.be:8443/dQw4w9WgXcQ',
    'javascript://youtu.be/dQw4w9WgXcQ',
    'ftp://youtu.be/dQw4w9WgXcQ',
    'not a url',
  ]) {
    assert.equal(embedFromUrl(url), undefined, url)
  }
})

test('Vimeo: public and unlisted videos, with Do Not Track', () => {
  assert.deepEqual(embedFromUrl('https://vimeo.com/76979871'), {
    provider: 'vimeo', url: 'https://vimeo.com/76979871', src: 'https://player.vimeo.com/video/76979871?dnt=1', label: 'Se videoen på Vimeo',
  })
  assert.equal(embedFromUrl('https://vimeo.com/76979871/a1b2c3d4e5')?.src, 'https://player.vimeo.com/video/76979871?h=a1b2c3d4e5&dnt=1')
  assert.equal(embedFromUrl('https://player.vimeo.com/video/76979871')?.src, 'https://player.vimeo.com/video/76979871?dnt=1')
  assert.equal(embedFromUrl('https://vimeo.com/channels/staffpicks'), undefined)
  assert.equal(embedFromUrl('https://vimeo.com/76979871abc'), undefined)
})

test('SlideShare: numeric id gives an embed src, other presentations a link-only facade', () => {
  assert.equal(
    embedFromUrl('https://www.slideshare.net/slideshow/digital-strategi/266254532')?.src,
    'https://www.slideshare.net/slideshow/embed_code/266254532',
  )
  assert.equal(
    embedFromUrl('https://no.slideshare.net/kommune/digital-strategi-12345678')?.src,
    'https://www.slideshare.net/slideshow/embed_code/12345678',
  )
  const noId = embedFromUrl('https://www.slideshare.net/kommune/strategi-2024')
  assert.equal(noId?.provider, 'slideshare')
  assert.equal(noId?.src, undefined)
  assert.equal(noId?.label, 'Se presentasjonen på SlideShare')
  assert.equal(embedFromUrl('https://www.slideshare.net/kommune'), undefined)
  assert.equal(embedFromUrl('https://slideshare.net.evil.com/a/b-12345678'), undefined)
})

test('Microsoft Stream videos by GUID', () => {
  assert.equal(
    embedFromUrl(`https://web.microsoftstream.com/video/${GUID.toUpperCase()}`)?.src,
    `https://web.microsoftstream.com/embed/video/${GUID}`,
  )
  assert.equal(embedFromUrl('https://web.microsoftstream.com/video/not-a-guid'), undefined)
  // Stream on SharePoint: recognised, embedded only with the organisation's answer (src/embeds).
  const sharepoint = 'https://kommune.sharepoint.com/:v:/s/IKT/EUrAmrktb4ZMhUcY9J2PqMEBD?e=Zp'
  assert.deepEqual(embedFromUrl(sharepoint), { provider: 'stream', url: sharepoint, label: 'Se videoen i Microsoft Stream' })
  assert.equal(embedFromUrl('https://kommune.sharepoint.com/sites/IKT/_layouts/15/stream.aspx?id=%2Fx.mp4')?.provider, 'stream')
  assert.equal(embedFromUrl('https://kommune.sharepoint.com/sites/IKT/Shared%20Documents/plan.docx'), undefined)
  const src = `https://kommune.sharepoint.com/sites/IKT/_layouts/15/embed.aspx?UniqueId=${GUID}`
  assert.equal(embedFromUrl(sharepoint, new Map([[sharepoint, src]]))?.src, src)
  assert.equal(embedFromUrl(sharepoint, new Map([[sharepoint, 'https://evil.example/_layouts/15/embed.aspx']]))?.src, undefined)
  assert.equal(embedFromUrl(`https://microsoftstream.com/video/${GUID}`), undefined)
})

test('EMBED_FRAME_ORIGINS covers the origin of every embed src', () => {
  for (const url of [
    'https://youtu.be/dQw4w9WgXcQ',
    'https://vimeo.com/76979871',
    'https://www.slideshare.net/slideshow/x/266254532',
    `https://web.microsoftstream.com/video/${GUID}`,
  ]) {
    const src = embedFromUrl(url)?.src
    assert.ok(src, url)
    assert.ok(EMBED_FRAME_ORIGINS.includes(new URL(src).origin), src)
  }
  assert.ok(EMBED_FRAME_ORIGINS.includes('https://*.sharepoint.com'), 'Stream on SharePoint: any organisation\'s host')
  assert.ok(EMBED_FRAME_ORIGINS.every((o) => o.startsWith('https://') && !o.endsWith('/')))
})

test('rendered facades: figure with provider and src, link to the original URL; without a src a plain link', () => {
  assert.equal(
    renderMarkdown('https://www.slideshare.net/kommune/strategi', 'post'),
    '<p><a href="https://www.slideshare.net/kommune/strategi" rel="noopener noreferrer ugc">https://www.slideshare.net/kommune/strategi</a></p>\n',
  )
  assert.equal(
    renderMarkdown('https://www.slideshare.net/kommune/strategi-12345678', 'post'),
    '<figure class="embed" data-embed-provider="slideshare" data-embed-src="https://www.slideshare.net/slideshow/embed_code/12345678">' +
      '<a href="https://www.slideshare.net/kommune/strategi-12345678" rel="noopener noreferrer ugc">Se presentasjonen på SlideShare</a></figure>\n',
  )
  assert.match(
    renderMarkdown(`https://web.microsoftstream.com/video/${GUID}`, 'post'),
    new RegExp(`^<figure class="embed" data-embed-provider="stream" data-embed-src="https://web\\.microsoftstream\\.com/embed/video/${GUID}"><a `),
  )
})

test('the sanitizer keeps valid facades in imported HTML unchanged', () => {
  const facade = `<figure class="embed" data-embed-provider="youtube" data-embed-src="${YT}"><a href="https://youtu.be/dQw4w9WgXcQ" rel="noopener noreferrer ugc">Se videoen på YouTube</a></figure>`
  assert.equal(sanitizeHtml(facade, 'post'), facade)
})

test('the sanitizer validates embed attributes against the provider patterns', () => {
  const figure = (attrs: string): string => sanitizeHtml(`<figure ${attrs}><a href="/x">x</a></figure>`, 'post')
  // A src of another provider, another host or with extra parameters loses the src.
  assert.equal(figure(`class="embed" data-embed-provider="vimeo" data-embed-src="${YT}"`), '<figure class="embed" data-embed-provider="vimeo"><a href="/x">x</a></figure>')
  assert.equal(figure('data-embed-provider="youtube" data-embed-src="https://evil.com/embed/dQw4w9WgXcQ"'), '<figure class="embed" data-embed-provider="youtube"><a href="/x">x</a></figure>')
  assert.equal(figure(`data-embed-provider="youtube" data-embed-src="${YT}?autoplay=1"`), '<figure class="embed" data-embed-provider="youtube"><a href="/x">x</a></figure>')
  assert.equal(figure('data-embed-provider="youtube" data-embed-src="javascript:alert(1)"'), '<figure class="embed" data-embed-provider="youtube"><a href="/x">x</a></figure>')
  // Unknown providers, other data attributes and other classes are removed.
  assert.equal(figure(`class="embed" data-embed-provider="evil" data-embed-src="${YT}"`), '<figure><a href="/x">x</a></figure>')
  assert.equal(figure(`class="embed wide" data-embed-provider="youtube" data-embed-src="${YT}" data-embed-autoplay="1" data-x="y"`),
    `<figure class="embed" data-embed-provider="youtube" data-embed-src="${YT}"><a href="/x">x</a></figure>`)
  assert.equal(figure('data-embed-provider="__proto__"'), '<figure><a href="/x">x</a></figure>')
  assert.equal(sanitizeHtml('<figure><img src="/uploads/a.png" alt="A"><figcaption>Bilde</figcaption></figure>', 'post'),
    '<figure><img src="/uploads/a.png" loading="lazy" alt="A" /><figcaption>Bilde</figcaption></figure>')
})

test('a page shows the facade\'s link text in its reader\'s language; what is stored stays bokmål', () => {
  const stored = renderMarkdown(`Se:\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nhttps://vimeo.com/123456\n\nOg [Se videoen på YouTube](https://example.org)`, 'post')
  assert.match(stored, />Se videoen på YouTube<\/a><\/figure>/)
  const english = localiseEmbeds(stored, (p) => ({ youtube: 'Watch on YouTube', vimeo: 'Watch on Vimeo <&>' } as Record<string, string>)[p] ?? p)
  assert.match(english, /<figure class="embed" data-embed-provider="youtube"[^>]*><a href="https:\/\/youtu\.be\/dQw4w9WgXcQ"[^>]*>Watch on YouTube<\/a><\/figure>/)
  assert.match(english, />Watch on Vimeo &lt;&amp;&gt;<\/a><\/figure>/, 'labels are escaped')
  assert.match(english, /<a href="https:\/\/example\.org"[^>]*>Se videoen på YouTube<\/a>/, 'an ordinary link with the same text is left alone')
  assert.equal(localiseEmbeds('<p>Ingen video</p>', () => 'x'), '<p>Ingen video</p>')
})
