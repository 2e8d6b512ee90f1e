import { type Kysely, sql } from 'kysely'

// In-app notifications, the kinds a person has turned off, and which queue reminders were sent.
// Grouped notifications (likes on one update, reminders for one post) share a group_key: while one
// is unread, a new event updates it instead of adding another.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id')) // the latest actor; null: the system
    .addColumn('actor_ids', 'text', (c) => c.notNull().defaultTo('[]')) // JSON: distinct actors, newest first
    .addColumn('actor_count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}')) // JSON, small
    .addColumn('group_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull()) // the list's order: bumped by a grouped event
    .addColumn('read_at', 'text')
    .execute()
  await db.schema.createIndex('notifications_list_idx').on('notifications').columns(['user_id', 'updated_at', 'id']).execute()
  // The header's unread count and the lookup of an unread group both stay within this small index.
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .columns(['user_id', 'group_key'])
    .where(sql<boolean>`read_at is null`)
    .execute()

  await db.schema
    .createTable('notification_optouts')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_optouts_pk', ['user_id', 'kind'])
    .execute()

  await db.schema
    .createTable('queue_reminders')
    .addColumn('post_id', 'integer', (c) => c.primaryKey().references('posts.id').onDelete('cascade'))
    .addColumn('last_sent_on', 'text', (c) => c.notNull()) // YYYY-MM-DD in Europe/Oslo
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('queue_reminders').execute()
  await db.schema.dropTable('notification_optouts').execute()
  await db.schema.dropTable('notifications').execute()
}
