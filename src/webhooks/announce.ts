// From an outbox message to what it announces, read when it is sent: content that was deleted,
// hidden or unpublished meanwhile is not announced.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { plainText } from '../markdown/text.js'
import type { Translate } from '../web/i18n/index.js'
import { tagNamesOfPost } from '../tags/service.js'
import { tagsOf } from '../micro/text.js'
import { findCommentForWebhook, findPostForWebhook, findUpdateForWebhook } from './queries.js'
import { shorten, type Announcement } from './format.js'

type Found = Announcement | { skipped: string }

export async function announcementOf(
  db: Kysely<DB>, t: Translate, baseUrl: string, event: string, subjectId: number, hookName: string, now: Date,
): Promise<Found> {
  const abs = (path: string) => new URL(path, baseUrl).href
  const person = (username: string | null, name: string | null) => ({
    name: name ?? t('webhooks.message.unknown'), ...(username ? { url: abs(`/users/${encodeURIComponent(username)}`) } : {}),
  })
  if (event === 'post.published') {
    const p = await findPostForWebhook(db, subjectId)
    if (!p || p.status !== 'published') return { skipped: 'the post is no longer published' }
    return {
      event, id: p.id, heading: t('webhooks.message.post'), title: p.title, lead: shorten(p.lead || p.summary),
      url: abs(`/posts/${encodeURIComponent(p.slug)}`), author: person(p.username, p.display_name),
      tags: await tagNamesOfPost(db, p.id), at: p.published_at ?? now.toISOString(),
    }
  }
  if (event === 'comment.created') {
    const c = await findCommentForWebhook(db, subjectId)
    if (!c || c.deleted_at || c.hidden_at || c.status !== 'published') return { skipped: 'the comment is gone or hidden' }
    return {
      event, id: c.id, heading: t('webhooks.message.comment', { title: c.title }), title: c.title, lead: shorten(plainText(c.body_html)),
      url: abs(`/posts/${encodeURIComponent(c.slug)}#comment_${c.id}`), author: person(c.username, c.display_name ?? c.author_name),
      tags: await tagNamesOfPost(db, c.post_id), at: c.created_at,
    }
  }
  if (event === 'update.tagged') {
    const u = await findUpdateForWebhook(db, subjectId)
    if (!u || u.deleted_at || u.hidden_at) return { skipped: 'the update is gone or hidden' }
    const text = shorten(plainText(u.body_html))
    return {
      event, id: u.id, heading: t('webhooks.message.update', { name: u.display_name }), title: shorten(text, 80), lead: text,
      url: abs(`/micro/${u.id}`), author: person(u.username, u.display_name),
      tags: tagsOf(u.body), at: u.created_at,
    }
  }
  if (event === 'webhook.test') {
    return {
      event, id: 0, heading: t('webhooks.message.testHeading'), title: t('webhooks.message.testTitle'),
      lead: t('webhooks.message.testLead', { name: hookName }), url: abs('/'), author: { name: t('site.name') }, tags: [], at: now.toISOString(),
    }
  }
  return { skipped: `unknown event ${event}` }
}
