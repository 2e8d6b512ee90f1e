import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseWxr } from '../../src/wordpress/parse-wxr.js'
import { generatedSpec, writeWxrFile } from './fixtures.js'

test('streams a generated export of 300 posts and 3,000 comments', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'wxr-large-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const path = join(dir, 'large.xml')

  let started = performance.now()
  await writeWxrFile(path, generatedSpec({ posts: 300, commentsPerPost: 10 }))
  const { size } = await stat(path)
  t.diagnostic(`generated ${(size / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - started)} ms`)

  started = performance.now()
  let posts = 0
  let comments = 0
  let spam = 0
  let lastId = 0
  let inOrder = true
  for await (const e of parseWxr(path)) {
    if (e.kind !== 'item') continue
    posts++
    comments += e.item.comments.length
    spam += e.item.comments.filter((c) => c.approved === 'spam').length
    inOrder &&= e.item.postId > lastId
    lastId = e.item.postId
  }
  t.diagnostic(`parsed in ${Math.round(performance.now() - started)} ms`)
  assert.equal(posts, 300)
  assert.equal(comments, 3000)
  assert.equal(spam, 300)
  assert.ok(inOrder, 'items arrive in file order')
})
