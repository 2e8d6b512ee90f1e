// Background job: publish scheduled posts when their time comes. The scheduler also runs it once at
// start-up, so posts that fell due while the server was down are published at once.
import type { Job } from '../jobs/scheduler.js'
import { bumpContentGeneration } from '../web/page-cache.js'
import { publishDuePosts } from './service.js'

export const publishScheduledJob: Job = {
  name: 'publish-scheduled-posts',
  intervalMs: 60_000,
  // A post due now should not wait a minute because another process held the database too long.
  retryAfterMs: [2_000, 10_000, 30_000],
  async run(app, now) {
    const count = await publishDuePosts(app.db, now)
    if (!count) return
    bumpContentGeneration() // cached pages for anonymous readers must show the new posts
    app.log.info({ count }, 'scheduled posts published')
  },
}
