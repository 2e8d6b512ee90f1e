import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decodeWpSlug, oldUrlKey, parseWordPressPath, type OldLink } from '../../src/wordpress/permalinks.js'

test('recognises the old blog\'s URLs', () => {
  const cases: [string, OldLink | undefined][] = [
    ['/', { kind: 'home' }],
    ['/?p=123', { kind: 'post-id', id: 123 }],
    ['/index.php?p=123&preview=true', { kind: 'post-id', id: 123 }],
    ['/?attachment_id=55', { kind: 'post-id', id: 55 }],
    ['/?page_id=12', { kind: 'page-id', id: 12 }],
    ['/?cat=4', { kind: 'category-id', id: 4 }],
    ['/?author=2', { kind: 'author-id', id: 2 }],
    ['/?s=%C3%A5pne+data', { kind: 'search', query: 'åpne data' }],
    ['/2009/05/slug/', { kind: 'post-slug', slug: 'slug', path: ['slug'], year: 2009, month: 5, day: undefined }],
    ['/2009/05/21/slug', { kind: 'post-slug', slug: 'slug', path: ['slug'], year: 2009, month: 5, day: 21 }],
    ['/2009/05/21/slug/2/', { kind: 'post-slug', slug: 'slug', path: ['slug'], year: 2009, month: 5, day: 21 }],
    ['/2009/05/slug/comment-page-2/#comment-12', { kind: 'post-slug', slug: 'slug', path: ['slug'], year: 2009, month: 5, day: undefined }],
    ['/2009/05/', { kind: 'archive', year: 2009, month: 5, day: undefined }],
    ['/2009/', { kind: 'archive', year: 2009, month: undefined, day: undefined }],
    ['/2009/05/%C3%A5pne-data-i-trondheim/', { kind: 'post-slug', slug: 'åpne-data-i-trondheim', path: ['åpne-data-i-trondheim'], year: 2009, month: 5, day: undefined }],
    ['/2009/05/%c3%a5pne-data/', { kind: 'post-slug', slug: 'åpne-data', path: ['åpne-data'], year: 2009, month: 5, day: undefined }],
    ['/tag/ikt/', { kind: 'tag', slug: 'ikt' }],
    ['/tag/bl%C3%A5b%C3%A6r/page/3/', { kind: 'tag', slug: 'blåbær' }],
    ['/category/x/', { kind: 'category', slug: 'x', path: ['x'] }],
    ['/category/a/b/', { kind: 'category', slug: 'b', path: ['a', 'b'] }],
    ['/feed/', { kind: 'feed' }],
    ['/feed/atom/', { kind: 'feed' }],
    ['/?feed=rss2', { kind: 'feed' }],
    ['/comments/feed/', { kind: 'feed', of: { kind: 'comments' } }],
    ['/tag/ikt/feed/', { kind: 'feed', of: { kind: 'tag', slug: 'ikt' } }],
    ['/category/a/b/feed/rss2/', { kind: 'feed', of: { kind: 'category', slug: 'b' } }],
    ['/author/kari/feed/', { kind: 'feed', of: { kind: 'author', login: 'kari' } }],
    ['/2009/05/slug/feed/', { kind: 'feed', of: { kind: 'post-slug', slug: 'slug' } }],
    ['/author/kari/', { kind: 'author', login: 'kari' }],
    ['/om-bloggen/', { kind: 'post-slug', slug: 'om-bloggen', path: ['om-bloggen'] }],
    ['/om-bloggen/kontakt/', { kind: 'post-slug', slug: 'kontakt', path: ['om-bloggen', 'kontakt'] }],
    ['/index.php/2009/05/slug/', { kind: 'post-slug', slug: 'slug', path: ['slug'], year: 2009, month: 5, day: undefined }],
    ['/wp-content/uploads/2009/05/bro.jpg', { kind: 'upload', path: '2009/05/bro.jpg' }],
    ['http://betatrondheim.no/tag/ikt/', { kind: 'tag', slug: 'ikt' }],
    ['/wp-admin/', undefined],
    ['/wp-login.php', undefined],
  ]
  for (const [path, expected] of cases) assert.deepEqual(parseWordPressPath(path), expected, path)
})

test('a subfolder install only matches below its base path', () => {
  assert.deepEqual(parseWordPressPath('/blogg/tag/ikt/', '/blogg/'), { kind: 'tag', slug: 'ikt' })
  assert.deepEqual(parseWordPressPath('/blogg/', '/blogg'), { kind: 'home' })
  assert.equal(parseWordPressPath('/annet/tag/ikt/', '/blogg'), undefined)
  assert.equal(parseWordPressPath('/bloggen/tag/ikt/', '/blogg'), undefined)
})

test('decodeWpSlug decodes percent-encoding and keeps malformed input', () => {
  assert.equal(decodeWpSlug('bl%c3%a5b%c3%a6r'), 'blåbær')
  assert.equal(decodeWpSlug('100%-sikkert'), '100%-sikkert')
  assert.equal(decodeWpSlug('plain'), 'plain')
})

test('oldUrlKey: one key per old address, however it is written', () => {
  const cases: [string, string | undefined][] = [
    ['https://betatrondheim.no/om/kontakt/', '/om/kontakt'],
    ['/Om/Kontakt', '/om/kontakt'],
    ['http://betatrondheim.no/2009/05/21/%C3%A5pne-data/', '/2009/05/21/åpne-data'],
    ['/2009/05/21/%c3%a5pne-data', '/2009/05/21/åpne-data'],
    ['http://betatrondheim.no/?p=123', '/?p=123'],
    ['/?page_id=2&lang=nb', '/?lang=nb&page_id=2'],
    ['/?lang=nb&page_id=2', '/?lang=nb&page_id=2'],
    ['http://betatrondheim.no/', '/'],
    ['/blogg/om//', '/blogg/om'],
  ]
  for (const [url, key] of cases) assert.equal(oldUrlKey(url), key, url)
})
