// A notification by e-mail at once, and the daily digest of unread ones.
import { describeNotification } from '../notifications/describe.js'
import { deliveriesOf } from '../notifications/delivery.js'
import type { MessageKey } from '../web/i18n/index.js'
import { absolute, type Builder, optionalFooter, speakerFor } from './context.js'
import { findCommentPostId, findNotification, findRecipient, listUnreadBetween } from './queries.js'

const DIGEST_MAX = 100

export const buildNotification: Builder = async ({ db, config, brand }, message) => {
  const n = await findNotification(db, Number(message.payload.notificationId))
  if (!n) return { skipped: 'notification deleted' }
  const person = await findRecipient(db, n.user_id)
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  const s = speakerFor(person, brand)
  const { text, href } = describeNotification(n, s.t)
  const threadPostId = n.subject_type === 'post' ? n.subject_id : n.subject_type === 'comment' ? await findCommentPostId(db, n.subject_id) : undefined
  const kindLabel = s.t(`notif.kind.${n.kind}` as MessageKey)
  return {
    to: person.email,
    threadPostId,
    unsubscribe: { userId: person.id, scope: n.kind },
    content: {
      lang: s.lang, subject: text.length > 140 ? `${text.slice(0, 139)}…` : text, heading: text, paragraphs: [],
      action: { label: s.t('mail.open'), href: absolute(config, href) },
      ...optionalFooter(config, s, person.id, n.kind, s.t('mail.footer.notification', { kind: kindLabel })),
    },
  }
}

export const buildDailyDigest: Builder = async ({ db, config, brand }, message) => {
  const userId = Number(message.payload.userId)
  const person = await findRecipient(db, userId)
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  const delivery = await deliveriesOf(db, userId)
  const rows = (await listUnreadBetween(db, userId, String(message.payload.since), String(message.payload.until), DIGEST_MAX))
    .filter((n) => delivery(n.kind) === 'digest')
  if (!rows.length) return { skipped: 'nothing unread for the digest' }
  const s = speakerFor(person, brand)
  return {
    to: person.email,
    unsubscribe: { userId: person.id, scope: 'daily' },
    content: {
      lang: s.lang, subject: s.t('mail.daily.subject', { count: rows.length }), heading: s.t('mail.daily.heading'), paragraphs: [],
      items: rows.map((n) => {
        const d = describeNotification(n, s.t)
        return { text: d.text, href: absolute(config, d.href), meta: s.fmt.dateTime(n.created_at) }
      }),
      action: { label: s.t('mail.open'), href: absolute(config, '/notifications') },
      ...optionalFooter(config, s, person.id, 'daily', s.t('mail.footer.daily')),
    },
  }
}
