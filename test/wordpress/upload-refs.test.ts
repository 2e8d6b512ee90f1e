import { test } from 'node:test'
import assert from 'node:assert/strict'
import { findImageRefs, rewriteImageSources, rewriteUploadLinks, uploadBasesOf, uploadPathOf } from '../../src/wordpress/upload-refs.js'
import { SITE } from './fixtures.js'

const ctx = { siteUrls: [SITE, 'https://beta.trondheim.kommune.no/blogg'] }

test('recognises the old site\'s uploads, absolute or relative', () => {
  const cases: [string, string | undefined][] = [
    [`${SITE}/wp-content/uploads/2009/05/bro.jpg`, '2009/05/bro.jpg'],
    ['https://www.betatrondheim.no/wp-content/uploads/2009/05/bro.jpg?ver=2', '2009/05/bro.jpg'],
    ['//betatrondheim.no/wp-content/uploads/2009/05/bro.jpg', '2009/05/bro.jpg'],
    ['https://beta.trondheim.kommune.no/blogg/wp-content/uploads/2011/01/kart.png', '2011/01/kart.png'],
    ['/wp-content/uploads/2010/02/bl%C3%A5b%C3%A6r.png', '2010/02/blåbær.png'],
    ['wp-content/uploads/2010/02/a.png', '2010/02/a.png'],
    ['../wp-content/uploads/2010/02/a.png', '2010/02/a.png'],
    ['http://annen-blogg.example/wp-content/uploads/2009/05/bro.jpg', undefined],
    ['/bilder/bro.jpg', undefined],
    ['data:image/png;base64,AAAA', undefined],
    ['javascript:alert(1)//wp-content/uploads/x.png', undefined],
  ]
  for (const [url, path] of cases) assert.equal(uploadPathOf(url, ctx)?.uploadPath, path, url)
})

test('never hands out a path that leaves the uploads folder', () => {
  for (const url of ['/wp-content/uploads/../../wp-config.php', '/wp-content/uploads/2009/%2e%2e/%2e%2e/x', '/wp-content/uploads/a%5C..%5Cb', '/wp-content/uploads//etc/passwd']) {
    assert.equal(uploadPathOf(url, ctx), undefined, url)
  }
})

test('a resized copy names its original too', () => {
  assert.deepEqual(uploadPathOf('/wp-content/uploads/2009/05/bro-300x200.jpg', ctx), { uploadPath: '2009/05/bro-300x200.jpg', originalPath: '2009/05/bro.jpg' })
  assert.equal(uploadPathOf('/wp-content/uploads/2020/05/stort-scaled.jpeg', ctx)?.originalPath, '2020/05/stort.jpeg')
  assert.equal(uploadPathOf('/wp-content/uploads/2009/05/bro.jpg', ctx)?.originalPath, undefined)
})

test('findImageRefs lists each old-site image once with its alt text', () => {
  const html = `<img src="${SITE}/wp-content/uploads/a-150x150.jpg" alt="Kari &amp; Ola"><img src='/wp-content/uploads/a-150x150.jpg'><img src="${SITE}/wp-content/uploads/a-150x150.jpg"><img src="https://ekstern.example/x.png" alt="ekstern">`
  assert.deepEqual(findImageRefs(html, ctx), [
    { src: `${SITE}/wp-content/uploads/a-150x150.jpg`, alt: 'Kari & Ola', uploadPath: 'a-150x150.jpg', originalPath: 'a.jpg' },
    { src: '/wp-content/uploads/a-150x150.jpg', alt: '', uploadPath: 'a-150x150.jpg', originalPath: 'a.jpg' },
  ])
})

test('rewriteImageSources points images at new URLs or a visible placeholder', () => {
  const html = `<p><img class="x" src="/wp-content/uploads/2009/05/bro-300x200.jpg" srcset="/wp-content/uploads/2009/05/bro-600x400.jpg 2x" sizes="100vw" alt="Bro"> og <img src="/wp-content/uploads/borte.png" alt="Kart <over> byen"> og <img src="https://ekstern.example/x.png"> og <img src="/wp-content/uploads/la-vaere.png"></p>`
  const seen: string[] = []
  const out = rewriteImageSources(html, ctx, (ref) => {
    seen.push(ref.uploadPath)
    if (ref.uploadPath === 'borte.png') return { missing: true, alt: ref.alt }
    if (ref.uploadPath === 'la-vaere.png') return undefined
    return `/media/${ref.originalPath ?? ref.uploadPath}`
  })
  assert.deepEqual(seen, ['2009/05/bro-300x200.jpg', 'borte.png', 'la-vaere.png'])
  assert.equal(out, '<p><img class="x" src="/media/2009/05/bro.jpg" alt="Bro"> og <span class="missing-image">[Bilde mangler: Kart &lt;over&gt; byen]</span> og <img src="https://ekstern.example/x.png"> og <img src="/wp-content/uploads/la-vaere.png"></p>')
})

test('a missing image without alt text still says what is missing', () => {
  assert.equal(rewriteImageSources('<img src="/wp-content/uploads/x.png">', ctx, () => ({ missing: true, alt: '' })), '<span class="missing-image">[Bilde mangler]</span>')
})

test('rewriteUploadLinks moves links to uploaded files', () => {
  const html = `<a href="${SITE}/wp-content/uploads/2010/03/rapport.pdf" title="Rapport">Last ned</a> <a href="${SITE}/2010/03/innlegg/">innlegg</a>`
  assert.equal(rewriteUploadLinks(html, ctx, (ref) => `/media/${ref.uploadPath}`),
    '<a href="/media/2010/03/rapport.pdf" title="Rapport">Last ned</a> <a href="http://betatrondheim.no/2010/03/innlegg/">innlegg</a>')
})

test('the export\'s own upload host counts as the blog\'s: its bases come from the attachments', () => {
  const site = 'https://wpthemetestdata.wordpress.com'
  const bases = uploadBasesOf([
    { url: 'https://wpthemetestdata.files.wordpress.com/2013/03/image-alignment-580x300.jpg', file: '2013/03/image-alignment-580x300.jpg' },
    { url: 'http://wpthemetestdata.files.wordpress.com/2008/06/dsc04563.jpg' },
    { url: `${site}/files/2011/01/kart.png`, file: '2011/01/kart.png' },
    { url: `${site}/2010/08/side/`, file: undefined },
    { url: 'not a url' },
  ], [site])
  assert.deepEqual(bases, ['https://wpthemetestdata.files.wordpress.com/', `https://wpthemetestdata.wordpress.com/files/`],
    'the root of the blog\'s own host is never a base')
  const own = { siteUrls: [site], uploadBases: bases }
  const cases: [string, string | undefined][] = [
    ['https://wpthemetestdata.files.wordpress.com/2013/03/image-alignment-150x150.jpg?w=150', '2013/03/image-alignment-150x150.jpg'],
    ['http://wpthemetestdata.files.wordpress.com/2008/06/dsc04563.jpg', '2008/06/dsc04563.jpg'],
    ['https://i0.wp.com/wpthemetestdata.files.wordpress.com/2008/06/dsc04563.jpg?resize=300%2C200', '2008/06/dsc04563.jpg'],
    [`${site}/files/2011/01/kart.png`, '2011/01/kart.png'],
    ['/files/2011/01/kart.png', '2011/01/kart.png'],
    [`${site}/wp-content/uploads/2011/01/kart.png`, '2011/01/kart.png'],
    ['https://annen.files.wordpress.com/2013/03/bilde.jpg', undefined],
    [`${site}/2010/08/side/`, undefined],
    ['https://wpthemetestdata.files.wordpress.com/2013/a%5C..%5Cb.jpg', undefined],
  ]
  for (const [url, path] of cases) assert.equal(uploadPathOf(url, own)?.uploadPath, path, url)
  assert.equal(uploadPathOf('https://wpthemetestdata.files.wordpress.com/2013/03/a.jpg', { siteUrls: [site] }), undefined, 'without the bases: another site')
})
