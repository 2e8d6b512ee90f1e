import type { Kysely } from 'kysely'

// Ownership and review dates of published posts (src/stewardship). The owner is a person, a unit
// (free text), or both; review_by is an Oslo calendar day (YYYY-MM-DD). reminded_for holds the
// review_by whose reminder was sent, so the daily job reminds once per due date.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('post_stewardship')
    .addColumn('post_id', 'integer', (c) => c.primaryKey().references('posts.id').onDelete('cascade'))
    .addColumn('owner_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('owner_unit', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('review_by', 'text', (c) => c.notNull())
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reminded_for', 'text')
    .execute()
  await db.schema.createIndex('post_stewardship_review_by').on('post_stewardship').columns(['review_by', 'post_id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('post_stewardship').execute()
}
