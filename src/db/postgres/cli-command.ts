// `npm run cli -- db copy --to postgres://…`: the SQLite site of DATA_DIR into an empty PostgreSQL
// database; afterwards the counts of every table are compared and the audit trail is verified there.
import { parseArgs } from 'node:util'
import type { CliContext } from '../../cli/context.js'
import { verifyAuditChain } from '../../audit/chain.js'
import { drainSearchQueue } from '../../search/indexer.js'
import { copySqliteToPostgres, TargetNotEmptyError } from './copy.js'
import { openPostgres } from './open.js'

export const DB_USAGE = 'usage: db copy --to postgres://user:password@host:5432/database'

export async function dbCommand(ctx: CliContext, args: string[]): Promise<number> {
  let to: string | undefined
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { to: { type: 'string' } } })
    if (positionals.length === 1 && positionals[0] === 'copy') to = values.to
  } catch { /* usage below */ }
  if (!to || !/^postgres(ql)?:\/\//.test(to)) { ctx.err(DB_USAGE); return 2 }
  if (ctx.database.kind !== 'sqlite') { ctx.err('db copy reads the SQLite database in DATA_DIR: run it without DATABASE_URL'); return 2 }

  const target = await openPostgres(to)
  try {
    const counts = await copySqliteToPostgres(ctx.database.sqlite, target.db, (line) => ctx.out(`copied ${line}`))
    const wrong = counts.filter((c) => c.source !== c.target)
    for (const c of wrong) ctx.err(`COUNT DIFFERS in ${c.table}: ${c.source} in SQLite, ${c.target} in PostgreSQL`)
    ctx.out(`Counts compared: ${counts.length - wrong.length} of ${counts.length} tables equal (${counts.reduce((n, c) => n + c.target, 0)} rows).`)
    const indexed = await drainSearchQueue(target.db)
    ctx.out(`Search index rebuilt: ${indexed} documents.`)
    const audit = await verifyAuditChain(target.db)
    const source = await verifyAuditChain(ctx.database.db)
    if (!audit.ok || audit.headHash !== source.headHash) {
      ctx.err(`AUDIT TRAIL differs after the copy (${audit.ok ? 'head hash ' + audit.headHash + ' ≠ ' + source.headHash : 'broken at entry ' + audit.brokenAt!.id})`)
      return 3
    }
    ctx.out(`Audit trail intact in PostgreSQL: ${audit.checked} entries. Head hash: ${audit.headHash}`)
    if (wrong.length) return 1
    ctx.out('Done. Start the server with DATABASE_URL set to the target; the uploads stay in DATA_DIR/uploads.')
    return 0
  } catch (err) {
    if (err instanceof TargetNotEmptyError) { ctx.err(`refused: ${err.message}`); return 1 }
    throw err
  } finally {
    await target.close()
  }
}
