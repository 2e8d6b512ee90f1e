import type { Kysely } from 'kysely'

// A person's colour scheme: 'light' or 'dark'; null follows the device (prefers-color-scheme).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('theme', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('theme').execute()
}
