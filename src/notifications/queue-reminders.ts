// Queue reminders: editors are told about posts that have waited for review longer than the site's
// queueReminderDays, once per post per day (Oslo calendar day), for as long as they wait. The queue
// must never go silent: this kind of notification cannot be turned off.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Job } from '../jobs/scheduler.js'
import { bumpContentGeneration } from '../web/page-cache.js'
import { listWaitingPosts, recordReminder } from './queries.js'
import { notifyEditors } from './service.js'

const DAY_MS = 86_400_000
const BATCH = 100

const osloDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Sends the reminders that are due at `now`; returns how many posts editors were reminded of. */
export async function sendQueueReminders(db: Kysely<DB>, reminderDays: number, now: Date): Promise<number> {
  const day = osloDay.format(now)
  const queuedBefore = new Date(now.getTime() - reminderDays * DAY_MS).toISOString()
  let sent = 0
  for (;;) {
    const posts = await listWaitingPosts(db, queuedBefore, day, BATCH)
    if (!posts.length) return sent
    for (const post of posts) {
      const days = Math.floor((now.getTime() - Date.parse(post.queued_at!)) / DAY_MS)
      await db.transaction().execute(async (trx) => {
        await notifyEditors(trx, { kind: 'editorial.reminder', actorId: null, subjectType: 'post', subjectId: post.id, data: { title: post.title, days } }, undefined, now)
        await recordReminder(trx, post.id, day)
      })
      sent++
    }
  }
}

export const queueReminderJob: Job = {
  name: 'queue-reminders',
  intervalMs: 60 * 60_000,
  async run(app, now) {
    const settings = await app.settings.get()
    const sent = await sendQueueReminders(app.db, settings.queueReminderDays, now)
    if (sent) {
      bumpContentGeneration() // the editors' unread badges changed
      app.log.info({ posts: sent }, 'queue reminders sent')
    }
  },
}
