// SQL of webhooks and their deliveries.
import type { Insertable, Kysely, Updateable } from 'kysely'
import type { DB, WebhooksTable } from '../db/schema.js'

export function listWebhooks(db: Kysely<DB>) {
  return db.selectFrom('webhooks').selectAll().orderBy('name').orderBy('id').execute()
}

export function listActiveWebhooks(db: Kysely<DB>) {
  return db.selectFrom('webhooks').selectAll().where('active', '=', 1).execute()
}

export function findWebhook(db: Kysely<DB>, id: number) {
  return db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertWebhook(db: Kysely<DB>, row: Insertable<WebhooksTable>): Promise<number> {
  const r = await db.insertInto('webhooks').values(row).returning('id').executeTakeFirstOrThrow()
  return r.id
}

export async function updateWebhook(db: Kysely<DB>, id: number, patch: Updateable<WebhooksTable>): Promise<void> {
  await db.updateTable('webhooks').set(patch).where('id', '=', id).execute()
}

export async function deleteWebhook(db: Kysely<DB>, id: number): Promise<void> {
  await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute()
  await db.deleteFrom('webhooks').where('id', '=', id).execute()
}

const KEEP_DELIVERIES = 50

export async function insertDelivery(db: Kysely<DB>, row: {
  webhookId: number; outboxId: number; event: string; attempt: number; at: string
  statusCode: number | null; response: string | null; error: string | null; durationMs: number
}): Promise<void> {
  await db.insertInto('webhook_deliveries').values({
    webhook_id: row.webhookId, outbox_id: row.outboxId, event: row.event, attempt: row.attempt, at: row.at,
    status_code: row.statusCode, response: row.response, error: row.error, duration_ms: row.durationMs,
  }).execute()
  // Only the last deliveries are kept: enough to see what a receiver answers, bounded per webhook.
  const cutoff = await db.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', row.webhookId)
    .orderBy('id', 'desc').offset(KEEP_DELIVERIES).limit(1).executeTakeFirst()
  if (cutoff) await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', row.webhookId).where('id', '<=', cutoff.id).execute()
}

export function listDeliveries(db: Kysely<DB>, webhookId: number, limit: number) {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit).execute()
}

/** The newest delivery of each webhook (for the list). */
export async function lastDeliveries(db: Kysely<DB>): Promise<Map<number, { at: string; status_code: number | null; error: string | null }>> {
  const latest = db.selectFrom('webhook_deliveries').select((eb) => ['webhook_id', eb.fn.max('id').as('id')]).groupBy('webhook_id')
  const rows = await db.selectFrom('webhook_deliveries as d').innerJoin(latest.as('l'), 'l.id', 'd.id')
    .select(['d.webhook_id', 'd.at', 'd.status_code', 'd.error']).execute()
  return new Map(rows.map((r) => [r.webhook_id, r]))
}

/** What a delivery tells about the content it announces. */
export function findPostForWebhook(db: Kysely<DB>, id: number) {
  return db.selectFrom('posts').innerJoin('users', 'users.id', 'posts.author_id')
    .select(['posts.id', 'posts.slug', 'posts.title', 'posts.lead', 'posts.summary', 'posts.status', 'posts.published_at', 'users.username', 'users.display_name'])
    .where('posts.id', '=', id).executeTakeFirst()
}

export function findCommentForWebhook(db: Kysely<DB>, id: number) {
  return db.selectFrom('comments').leftJoin('users', 'users.id', 'comments.author_id').innerJoin('posts', 'posts.id', 'comments.post_id')
    .select(['comments.id', 'comments.post_id', 'comments.body_html', 'comments.author_name', 'comments.deleted_at', 'comments.hidden_at', 'comments.created_at',
      'posts.slug', 'posts.title', 'posts.status', 'users.username', 'users.display_name'])
    .where('comments.id', '=', id).executeTakeFirst()
}

export function findUpdateForWebhook(db: Kysely<DB>, id: number) {
  return db.selectFrom('micro_posts').innerJoin('users', 'users.id', 'micro_posts.author_id')
    .select(['micro_posts.id', 'micro_posts.body', 'micro_posts.body_html', 'micro_posts.deleted_at', 'micro_posts.hidden_at', 'micro_posts.created_at', 'users.username', 'users.display_name'])
    .where('micro_posts.id', '=', id).executeTakeFirst()
}
