import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { compiledOnce } from '../db/compiled.js'

export function findCurrentVersion(db: Kysely<DB>) {
  return db.selectFrom('guideline_versions').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst()
}

export function findVersion(db: Kysely<DB>, id: number) {
  return db.selectFrom('guideline_versions').selectAll().where('id', '=', id).executeTakeFirst()
}

export function listVersions(db: Kysely<DB>, limit = 100) {
  return db
    .selectFrom('guideline_versions')
    .leftJoin('users', 'users.id', 'guideline_versions.created_by')
    .select(['guideline_versions.id', 'guideline_versions.note', 'guideline_versions.created_at', 'users.display_name as author'])
    .orderBy('guideline_versions.id', 'desc')
    .limit(limit)
    .execute()
}

export async function insertVersion(db: Kysely<DB>, row: { bodyMd: string; bodyHtml: string; note: string; createdBy: number; now: string }) {
  const r = await db
    .insertInto('guideline_versions')
    .values({ body_md: row.bodyMd, body_html: row.bodyHtml, note: row.note, created_by: row.createdBy, created_at: row.now })
    .returning('id')
    .executeTakeFirstOrThrow()
  return r.id
}

/** The current version's id alone (asked on every page with a form that publishes). */
export async function findCurrentVersionId(db: Kysely<DB>): Promise<number | undefined> {
  return (await currentVersionId(db))[0]?.id
}
const currentVersionId = compiledOnce((db: Kysely<DB>) => db.selectFrom('guideline_versions').select('id').orderBy('id', 'desc').limit(1))

export async function hasAccepted(db: Kysely<DB>, userId: number, versionId: number): Promise<boolean> {
  return (await accepted(db, userId, versionId)).length > 0
}
const accepted = compiledOnce((db: Kysely<DB>, userId: number, versionId: number) =>
  db.selectFrom('guideline_acceptances').select('version_id').where('user_id', '=', userId).where('version_id', '=', versionId))

export async function insertAcceptance(db: Kysely<DB>, userId: number, versionId: number, now: string) {
  await db
    .insertInto('guideline_acceptances')
    .values({ user_id: userId, version_id: versionId, accepted_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute()
}
