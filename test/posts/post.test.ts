import { test } from 'node:test'
import assert from 'node:assert/strict'
import { contentHash, validatePostInput } from '../../src/posts/post.js'
import { decodeCursor, encodeCursor, pageOf } from '../../src/posts/cursor.js'
import { canViewHistory, canViewPost } from '../../src/posts/visibility.js'
import { imageSnippet } from '../../src/uploads/view.js'
import { renderMarkdown } from '../../src/markdown/index.js'

const input = (over: Partial<Parameters<typeof validatePostInput>[0]> = {}) =>
  ({ title: 'Tittel', lead: '', body: 'Tekst', tags: '', coverUploadId: null, ...over })

test('post input is normalised: titles on one line, tags normalised, Windows newlines', () => {
  const { content, errors } = validatePostInput(input({ title: '  Ny\tblogg\n', body: 'a\r\nb\r\n\r\n', tags: 'IKT, Sosiale medier; ikt' }))
  assert.deepEqual(errors, {})
  assert.equal(content.title, 'Ny blogg')
  assert.equal(content.bodyMd, 'a\nb')
  assert.deepEqual(content.tags, ['ikt', 'sosiale-medier'])
})

test('post input errors: every field at once', () => {
  const { errors } = validatePostInput(input({
    title: ' ', lead: 'x'.repeat(601), body: 'y'.repeat(100_001), tags: 'ok, <script>', slug: 'Ikke Gyldig!',
  }))
  assert.deepEqual(errors, {
    title: 'posts.title.required', lead: 'posts.lead.tooLong', body: 'posts.body.tooLong', tags: 'posts.tags.invalid', slug: 'posts.slug.invalid',
  })
  assert.equal(validatePostInput(input({ title: 'å'.repeat(201) })).errors.title, 'posts.title.tooLong')
  assert.equal(validatePostInput(input({ title: 'å'.repeat(200) })).errors.title, undefined)
  assert.equal(validatePostInput(input({ slug: 'new' })).errors.slug, 'posts.slug.taken', 'reserved for /posts/new')
  assert.equal(validatePostInput(input({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(',') })).errors.tags, 'posts.tags.invalid')
})

test('the content hash changes with every part of the content', () => {
  const base = { title: 'T', lead: 'L', bodyMd: 'B', tags: ['a'], coverUploadId: null, slug: 's' }
  const h = contentHash(base)
  assert.match(h, /^[0-9a-f]{64}$/)
  assert.equal(contentHash({ ...base }), h)
  for (const change of [{ title: 'T2' }, { lead: 'L2' }, { bodyMd: 'B2' }, { tags: ['b'] }, { coverUploadId: 4 }, { slug: 's2' }]) {
    assert.notEqual(contentHash({ ...base, ...change }), h, JSON.stringify(change))
  }
})

test('cursors: round trip, malformed ones are ignored, pages split', () => {
  const c = encodeCursor('2026-05-01T08:00:00.000Z', 42)
  assert.deepEqual(decodeCursor(c), { at: '2026-05-01T08:00:00.000Z', id: 42 })
  for (const bad of ['', 'x~1', '2026-05-01T08:00:00.000Z', '2026-05-01T08:00:00.000Z~', "2026'~1"]) assert.equal(decodeCursor(bad), undefined, bad)
  const rows = [1, 2, 3].map((id) => ({ id, at: `2026-05-0${id}T00:00:00.000Z` }))
  assert.deepEqual(pageOf(rows, 2, (r) => r), { items: rows.slice(0, 2), next: '2026-05-02T00:00:00.000Z~2' })
  assert.deepEqual(pageOf(rows, 3, (r) => r), { items: rows })
})

test('only published posts are visible to everyone; the rest to the author and editors; a draft to its author alone', () => {
  for (const status of ['draft', 'submitted', 'changes_requested', 'rejected', 'scheduled', 'withdrawn'] as const) {
    const p = { status, author_id: 1 }
    assert.equal(canViewPost(p, null), false, status)
    assert.equal(canViewPost(p, { id: 2, isEditor: false }), false, status)
    assert.equal(canViewPost(p, { id: 1, isEditor: false }), true, status)
    assert.equal(canViewPost(p, { id: 3, isEditor: true }), status !== 'draft', status)
    assert.equal(canViewHistory(p, { id: 3, isEditor: true }), status !== 'draft', status)
    assert.equal(canViewHistory(p, { id: 1, isEditor: false }), true, status)
  }
  assert.equal(canViewPost({ status: 'published', author_id: 1 }, null), true)
})

test('image snippets render to an image, with the credit as a caption', () => {
  const url = '/uploads/2026/05/0123456789abcdef0123456789abcdef.jpg'
  const plain = renderMarkdown(imageSnippet(url, 'Rådhuset [i sol]', ''), 'post')
  assert.match(plain, /<img src="\/uploads\/2026\/05\/0123456789abcdef0123456789abcdef\.jpg" loading="lazy" alt="Rådhuset \[i sol\]" \/>|<img[^>]*alt="Rådhuset \[i sol\]"/)
  const snippet = imageSnippet(url, 'Rådhuset "nå"', 'Foto: "Oliver" Steiner // CC BY')
  assert.equal(snippet, `![Rådhuset "nå"](${url} "Foto: \\"Oliver\\" Steiner // CC BY")`, 'one short line of Markdown, no HTML')
  const credited = renderMarkdown(snippet, 'post')
  assert.match(credited, /<figure><img[^>]*alt="Rådhuset &quot;nå&quot;"[^>]*>\s*<figcaption>Foto: "Oliver" Steiner \/\/ CC BY<\/figcaption><\/figure>/)
})
