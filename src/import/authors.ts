// WordPress authors → accounts, before any post: an author is matched to an existing account by
// e-mail, else by login (when that account has no other e-mail address), else gets a new,
// deactivated account without a password (an administrator can activate or invite them later).
// Every decision a human may want to check is reported.
import type { Kysely } from 'kysely'
import { appendAuditEvent } from '../audit/chain.js'
import type { DB } from '../db/schema.js'
import type { WxrAuthor } from '../wordpress/wxr-types.js'
import { findMappedId, findUserByUsername, findUserIdByEmail, insertMappings, insertUser, userExists } from './queries.js'
import type { ImportReport } from './report.js'
import type { ExportScan } from './scan.js'
import { displayNameOf, nicenameOf, normaliseEmail, usernameCandidates, usernameFromLogin } from './users.js'

export interface AuthorIds {
  /** Lower-case login → our user id. */
  byLogin: Map<string, number>
  /** WordPress user id → our user id. */
  byWpId: Map<number, number>
}

type Decision = { userId: number; how: 'already' | 'matched' | 'created' }

class AuthorStep {

  constructor(private readonly db: Kysely<DB>, private readonly scan: ExportScan, private readonly report: ImportReport,
    private readonly now: string) {}

  private problem(a: WxrAuthor, detail: string) {
    this.report.problems.push({ where: `author ${a.login}`, code: 'account', detail })
  }

  async decide(a: WxrAuthor): Promise<Decision> {
    const db = this.db
    const mapped = await findMappedId(db, this.scan.source, 'user', a.login.toLowerCase())
    if (mapped !== undefined && (await userExists(db, mapped))) return { userId: mapped, how: 'already' }
    const email = normaliseEmail(a.email)
    const byEmail = email ? await findUserIdByEmail(db, email) : undefined
    if (byEmail) return { userId: byEmail.id, how: 'matched' }
    const base = usernameFromLogin(a.login)
    const byLogin = await findUserByUsername(db, base)
    if (byLogin && (!byLogin.email || !email)) {
      this.problem(a, `matched to the existing account "${byLogin.username}" by login only (no e-mail address to compare): check that it is the same person`)
      return { userId: byLogin.id, how: 'matched' }
    }
    let username = base
    for (username of usernameCandidates(base)) {
      if (!(await findUserByUsername(db, username))) break
    }
    if (byLogin) this.problem(a, `the username "${base}" belongs to someone else (another e-mail address): created "${username}"`)
    else if (username !== a.login.toLowerCase()) this.problem(a, `login "${a.login}" is not a valid username here: created "${username}"`)
    return { userId: await this.create(a, username, email), how: 'created' }
  }

  private async create(a: WxrAuthor, username: string, email: string | undefined): Promise<number> {
    const id = await insertUser(this.db, {
      username, display_name: displayNameOf(a), email: email ?? null, password_hash: null, is_active: 0,
      created_at: this.now, updated_at: this.now,
    })
    await appendAuditEvent(this.db, {
      actor: null, action: 'user.import', subjectType: 'user', subjectId: id, toState: 'deactivated', at: this.now,
      note: `WordPress author ${a.login} · ${this.scan.fileName} · sha256 ${this.scan.sha256}`,
    })
    return id
  }
}

/** Matches or creates an account for every author, in one transaction. */
export async function importAuthors(db: Kysely<DB>, scan: ExportScan, report: ImportReport, now: string): Promise<AuthorIds> {
  const ids: AuthorIds = { byLogin: new Map(), byWpId: new Map() }
  const run = async (trx: Kysely<DB>) => {
    const step = new AuthorStep(trx, scan, report, now)
    const newReport = structuredClone(report.users)
    for (const a of scan.authors) {
      const key = a.login.toLowerCase()
      if (!key || ids.byLogin.has(key)) continue
      const d = await step.decide(a)
      newReport[d.how]++
      ids.byLogin.set(key, d.userId)
      if (a.id) ids.byWpId.set(a.id, d.userId)
      if (d.how !== 'already') {
        await insertMappings(trx, [{ source: scan.source, kind: 'user', wp_key: key, wp_id: a.id ?? null,
          wp_slug: nicenameOf(a.login), target_id: d.userId, imported_at: now }])
      }
    }
    report.users = newReport
  }
  await db.transaction().execute(run)
  return ids
}
