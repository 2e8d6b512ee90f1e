// The Betablogg command line: `npm run cli -- <command> …`. Works on the same DATA_DIR as the
// server, also while it runs.
import { ConfigError, loadConfig, type Config } from '../config.js'
import { openContext, type CliContext } from './context.js'
import { promptSecret, readStdin } from './terminal.js'
import { userCommand } from './user-commands.js'
import { createBackup } from '../backup/service.js'
import { restoreCommand } from '../backup/cli-command.js'
import { verifyAuditChain } from '../audit/chain.js'
import { importCommand } from '../import/cli-command.js'
import { rerenderPosts } from '../posts/rerender.js'
import { ssoCommand } from '../sso/cli-command.js'
import { archiveCommand } from '../archive/cli-command.js'
import { dbCommand } from '../db/postgres/cli-command.js'

type Command = (ctx: CliContext, args: string[]) => Promise<number>
/** A command that must not open the database (it replaces it). */
type StandaloneCommand = (config: Config, args: string[], io: CliIo) => Promise<number>

const USAGE = `Usage: npm run cli -- <command>

  user add <username> [--role employee|editor|admin|editor,admin] [--name "Name"] [--email a@b] [--password-stdin]
  user list [--search text]
  user role <username> <roles>
  user passwd <username> [--password-stdin]
  user deactivate <username>
  user activate <username>
  backup                      consistent online copy into DATA_DIR/backups/<timestamp>/, verified, with a manifest
  restore <backup folder>     check a backup in full, then put it in place of the current data (server stopped)
  audit verify                check the audit trail's hash chain
  posts rerender              re-render stored HTML after a change of the Markdown/sanitizer policy
  import wordpress <export.xml> [--uploads <wp-content/uploads copy>] [--dry-run] [--skip-pages]
                              move the old WordPress blog in (safe to repeat)
  sso password-login on|off   break-glass: password login back on when single sign-on fails
  archive extract --from YYYY-MM-DD --to YYYY-MM-DD --out <folder>
                              Noark 5 archive extract of what was published in the period
  db copy --to postgres://…   copy this SQLite site into an empty PostgreSQL database (counts and audit checked)`

export const commands: Record<string, Command> = {
  user: userCommand,
  import: importCommand,
  sso: ssoCommand,
  archive: archiveCommand,
  db: dbCommand,
  posts: async (ctx, args) => {
    if (args[0] !== 'rerender') { ctx.err('usage: posts rerender'); return 2 }
    const r = await rerenderPosts(ctx.database.db)
    ctx.out(`Re-rendered ${r.posts} posts and ${r.revisions} revisions; ${r.changed} changed.`)
    return 0
  },
  backup: async (ctx) => {
    const r = await createBackup(ctx.database, ctx.config)
    ctx.out(`Backup written to ${r.dir} (database and ${r.uploads} upload files).`)
    if (r.unfinished.length) ctx.out(`Unfinished backups left by interrupted runs (safe to delete): ${r.unfinished.join(', ')}`)
    return 0
  },
  audit: async (ctx, args) => {
    if (args[0] !== 'verify') { ctx.err('usage: audit verify'); return 2 }
    const r = await verifyAuditChain(ctx.database.db)
    if (r.ok) {
      ctx.out(`Audit trail intact: ${r.checked} entries. Head hash: ${r.headHash}`)
      return 0
    }
    ctx.err(`AUDIT TRAIL BROKEN at entry ${r.brokenAt!.id} (${r.brokenAt!.reason === 'hash' ? 'the entry was altered' : 'an entry before it was removed or altered'}); ${r.checked} entries before it are intact.`)
    return 3
  },
}

export const standaloneCommands: Record<string, StandaloneCommand> = {
  restore: restoreCommand,
}

export type CliIo = Pick<CliContext, 'out' | 'err' | 'readStdin' | 'promptSecret'>

const processIo: CliIo = {
  out: (l) => void process.stdout.write(l + '\n'),
  err: (l) => void process.stderr.write(l + '\n'),
  readStdin,
  promptSecret,
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv
  const standalone = name ? standaloneCommands[name] : undefined
  if (standalone) {
    let config: Config
    try {
      config = loadConfig({ LOG_LEVEL: 'silent', ...env })
    } catch (err) {
      io.err(err instanceof Error ? err.message : String(err))
      return 2
    }
    return standalone(config, args, io)
  }
  const command = name ? commands[name] : undefined
  if (!command) {
    io.err(USAGE)
    return name ? 2 : 0
  }
  let ctx: CliContext
  try {
    ctx = await openContext({ LOG_LEVEL: 'silent', ...env }, io)
  } catch (err) {
    io.err(err instanceof ConfigError ? err.message : `error: ${err instanceof Error ? err.message : String(err)}`)
    return 2
  }
  try {
    return await command(ctx, args)
  } finally {
    await ctx.database.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2), process.env).then((code) => process.exit(code))
}
