// The daily digest (unread notifications a person chose to get that way) and the weekly e-mail of
// the site's new posts. The job queues each person's digest once per Oslo calendar day (week): the
// idempotency key names the day, so a job run twice, or two servers, queue it once. Each digest
// covers the time since the one before (mail_digests), so nothing is told twice or skipped.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Job } from '../jobs/scheduler.js'
import { enqueue } from '../outbox/service.js'
import { absolute, type Builder, optionalFooter, speakerFor } from './context.js'
import {
  findRecipient, listDailyDigestCandidates, listPublishedBetween, listWeeklyDigestCandidates, upsertDigestMark,
} from './queries.js'

const DAY_MS = 86_400_000
const WEEKLY_MAX = 50
/** Digests go out from this hour (Oslo time), so they are waiting when the working day starts. */
export const DIGEST_HOUR = 6

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short',
})

function oslo(now: Date) {
  const p = Object.fromEntries(osloParts.formatToParts(now).map((x) => [x.type, x.value]))
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), monday: p.weekday === 'Mon' }
}

/** Queues today's daily digests (if it is past DIGEST_HOUR in Oslo); returns how many were queued. */
export async function enqueueDailyDigests(db: Kysely<DB>, now = new Date()): Promise<number> {
  const { day, hour } = oslo(now)
  if (hour < DIGEST_HOUR) return 0
  const until = now.toISOString()
  let queued = 0
  for (const c of await listDailyDigestCandidates(db, new Date(now.getTime() - DAY_MS).toISOString())) {
    const since = c.last_until ?? new Date(now.getTime() - DAY_MS).toISOString()
    await db.transaction().execute(async (trx) => {
      const added = await enqueue(trx, {
        channel: 'email', kind: 'digest.daily', key: `digest.daily:${c.id}:${day}`, recipient: `user:${c.id}`, payload: { userId: c.id, since, until },
      })
      if (added) {
        await upsertDigestMark(trx, c.id, 'daily', until)
        queued++
      }
    })
  }
  return queued
}

/** Queues this week's e-mail of new posts on Mondays from DIGEST_HOUR; returns how many were queued. */
export async function enqueueWeeklyDigests(db: Kysely<DB>, now = new Date()): Promise<number> {
  const { day, hour, monday } = oslo(now)
  if (!monday || hour < DIGEST_HOUR) return 0
  const until = now.toISOString()
  let queued = 0
  for (const c of await listWeeklyDigestCandidates(db)) {
    const since = c.last_until ?? new Date(now.getTime() - 7 * DAY_MS).toISOString()
    await db.transaction().execute(async (trx) => {
      const added = await enqueue(trx, {
        channel: 'email', kind: 'digest.weekly', key: `digest.weekly:${c.id}:${day}`, recipient: `user:${c.id}`, payload: { userId: c.id, since, until },
      })
      if (added) {
        await upsertDigestMark(trx, c.id, 'weekly', until)
        queued++
      }
    })
  }
  return queued
}

export const buildWeeklyDigest: Builder = async ({ db, config, brand }, message) => {
  const person = await findRecipient(db, Number(message.payload.userId))
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  const posts = await listPublishedBetween(db, String(message.payload.since), String(message.payload.until), WEEKLY_MAX)
  if (!posts.length) return { skipped: 'no new posts this week' }
  const s = speakerFor(person, brand)
  return {
    to: person.email,
    unsubscribe: { userId: person.id, scope: 'weekly' },
    content: {
      lang: s.lang, subject: s.t('mail.weekly.subject'), heading: s.t('mail.weekly.heading'), paragraphs: [],
      items: posts.map((p) => ({
        text: p.title, href: absolute(config, `/posts/${encodeURIComponent(p.slug)}`),
        meta: [s.t('mail.weekly.by', { author: p.author }), p.published_at ? s.fmt.dateTime(p.published_at) : '', p.lead].filter(Boolean).join(' · '),
      })),
      ...optionalFooter(config, s, person.id, 'weekly', s.t('mail.footer.weekly')),
    },
  }
}

export const digestJob: Job = {
  name: 'mail-digests',
  intervalMs: 15 * 60_000,
  async run(app, now) {
    const daily = await enqueueDailyDigests(app.db, now)
    const weekly = await enqueueWeeklyDigests(app.db, now)
    if (daily || weekly) app.log.info({ daily, weekly }, 'digests queued')
  },
}
