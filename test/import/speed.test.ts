// The speed figure: the target is 10,000 posts with 100,000 comments in under a minute. Printed, not
// asserted (timings depend on the machine). The suite imports a fiftieth of that (the counts are
// what it checks) and prints the extrapolation; BENCH_IMPORT=1 runs the full size.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { stat } from 'node:fs/promises'
import { generatedSpec } from '../wordpress/fixtures.js'
import { countRows, importFixture } from './helpers.js'

const FULL = process.env.BENCH_IMPORT === '1'
const POSTS = FULL ? 10_000 : 200
const COMMENTS_PER_POST = 10

test(`imports a generated export of ${POSTS} posts with ${POSTS * COMMENTS_PER_POST} comments`, async (t) => {
  const f = await importFixture(t)
  const file = await f.write(generatedSpec({ posts: POSTS, commentsPerPost: COMMENTS_PER_POST }), 'generated.xml')
  const started = performance.now()
  const cpu = process.cpuUsage()
  const report = await f.run(file)
  const seconds = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  const cpuSeconds = (used.user + used.system) / 1e6
  const { size } = await stat(file)
  // CPU time is printed too: on a busy machine the wall time says more about the neighbours.
  t.diagnostic(`${(size / 1e6).toFixed(1)} MB export: ${report.posts.published} posts and ${report.comments.imported} comments imported in ${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU)`)
  if (!FULL) t.diagnostic(`extrapolated to 10,000 posts with 100,000 comments: about ${(seconds * 10_000 / POSTS).toFixed(0)} s (BENCH_IMPORT=1 measures it)`)

  assert.equal(report.posts.published, POSTS)
  assert.equal(report.comments.imported, POSTS * 9, 'every tenth comment is spam')
  assert.equal(report.comments.skipped.spam, POSTS)
  assert.equal(await countRows(f.app, 'posts'), POSTS)
  assert.equal(await countRows(f.app, 'comments'), POSTS * 9)
  const replies = await f.app.db.selectFrom('comments').select('id').where('parent_id', 'is not', null).execute()
  assert.equal(replies.length, POSTS * 2, 'the generated replies (one of three is spam) are threaded')
})
