import { test } from 'node:test'
import assert from 'node:assert/strict'
import { diffContents, diffText } from '../../src/editorial/diff.js'

const kinds = (parts: { kind: string; text: string }[]) => parts.map((p) => `${p.kind}:${p.text}`)

test('one changed word in a paragraph shows as that word', () => {
  const parts = diffText('Vi bruker Teams hver dag.\n', 'Vi bruker Slack hver dag.\n')
  assert.deepEqual(kinds(parts), ['same:Vi bruker ', 'removed:Teams', 'added:Slack', 'same: hver dag.\n'])
})

test('added and removed lines', () => {
  assert.deepEqual(kinds(diffText('a\nb\n', 'a\nb\nc\n')), ['same:a\nb\n', 'added:c\n'])
  assert.deepEqual(kinds(diffText('a\nb\nc\n', 'a\nc\n')), ['same:a\n', 'removed:b\n', 'same:c\n'])
})

test('long unchanged stretches are cut to a little context', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `linje ${i}\n`)
  const after = [...lines.slice(0, 29), 'ny siste linje\n']
  const parts = diffText(lines.join(''), after.join(''))
  const skipped = parts.find((p) => p.kind === 'skipped')
  assert.ok(skipped, 'a skipped part')
  assert.equal(skipped.lines, 27)
  assert.ok(parts.some((p) => p.kind === 'added' && p.text.includes('siste linje')))
  assert.ok(!parts.some((p) => p.text.includes('linje 5\n')), 'the middle is not shown')
})

test('very different paragraphs are shown as whole lines', () => {
  const a = `${'alfa beta gamma '.repeat(300)}\n`
  const b = `${'delta epsilon zeta '.repeat(300)}\n`
  assert.deepEqual(diffText(a, b).map((p) => p.kind), ['removed', 'added'])
})

test('field by field: unchanged fields are marked as such', () => {
  const before = { title: 'Tittel', lead: '', tags: ['ikt'], coverUploadId: null, bodyMd: 'Tekst\n' }
  const fields = diffContents(before, { ...before, tags: ['ikt', 'skole'], bodyMd: 'Tekst\nMer\n' })
  const changed = fields.filter((f) => f.changed).map((f) => f.field)
  assert.deepEqual(changed, ['tags', 'body'])
  assert.equal(fields.find((f) => f.field === 'title')?.parts[0]?.text, 'Tittel')
})

test('tags are compared as a set; a cover is named by its alt text where known', () => {
  const before = { title: 'T', lead: '', tags: ['skole', 'ikt'], coverUploadId: 3, bodyMd: '' }
  const reordered = diffContents(before, { ...before, tags: ['ikt', 'skole'] })
  assert.equal(reordered.find((f) => f.field === 'tags')?.changed, false, 'only the order changed')
  const recovered = diffContents(before, { ...before, coverUploadId: 4 }, new Map([[3, 'Rådhuset'], [4, 'Torget']]))
  const cover = recovered.find((f) => f.field === 'cover')!
  assert.equal(cover.changed, true)
  assert.deepEqual(cover.parts.map((p) => p.text.trim()).filter(Boolean), ['Rådhuset', 'Torget'])
  assert.match(diffContents(before, { ...before, coverUploadId: null }).find((f) => f.field === 'cover')!.parts[0]!.text, /#3/, 'an unknown image by its number')
})
