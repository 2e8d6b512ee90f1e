import type { Kysely } from 'kysely'

// Guidelines for use (retningslinjer): versions written by the editors, and who accepted which.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('guideline_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('guideline_acceptances')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('guideline_versions.id'))
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('guideline_acceptances_pk', ['user_id', 'version_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('guideline_acceptances').execute()
  await db.schema.dropTable('guideline_versions').execute()
}
