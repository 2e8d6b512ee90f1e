import type { Kysely } from 'kysely'

// Profiles: unit/department, job title and a profile picture. `avatar_path` is the stored path of the
// largest square size ('2026/12/<32 hex>.webp'); the smaller sizes sit beside it as '<hex>-<size>.<ext>'
// (src/profiles/avatar.ts). Null: the initials are shown instead.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('unit', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('users').addColumn('job_title', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('users').addColumn('avatar_path', 'text').execute()
  // A picture's address names its file: the avatar route finds its owner by it.
  await db.schema.createIndex('users_avatar_path').on('users').column('avatar_path').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_avatar_path').execute()
  await db.schema.alterTable('users').dropColumn('avatar_path').execute()
  await db.schema.alterTable('users').dropColumn('job_title').execute()
  await db.schema.alterTable('users').dropColumn('unit').execute()
}
