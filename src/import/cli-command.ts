// `npm run cli -- import wordpress <export.xml> [--uploads <folder>] [--dry-run] [--skip-pages]`
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { CliContext } from '../cli/context.js'
import { WxrError } from '../wordpress/wxr-types.js'
import { formatReport } from './report.js'
import { ImportRefused, importWordPress } from './service.js'

export const IMPORT_USAGE = 'usage: import wordpress <export.xml> [--uploads <copy of wp-content/uploads>] [--dry-run] [--skip-pages]'

function parse(args: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { uploads: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'skip-pages': { type: 'boolean' } },
    })
    const [what, file, ...extra] = positionals
    return what === 'wordpress' && file && !extra.length ? { file, ...values } : undefined
  } catch {
    return undefined
  }
}

export async function importCommand(ctx: CliContext, args: string[]): Promise<number> {
  const a = parse(args)
  if (!a) {
    ctx.err(IMPORT_USAGE)
    return 2
  }
  const file = path.resolve(a.file)
  try {
    const report = await importWordPress({ db: ctx.database.db, uploadsDir: ctx.config.uploadsDir }, file, {
      uploadsFrom: a.uploads === undefined ? undefined : path.resolve(a.uploads),
      dryRun: !!a['dry-run'],
      skipPages: !!a['skip-pages'],
      progress: (n) => { if (n % 1000 === 0) ctx.err(`… ${n} items read`) },
    })
    for (const line of formatReport(report)) ctx.out(line)
    return report.posts.failed ? 1 : 0
  } catch (err) {
    if (err instanceof WxrError) {
      ctx.err(`error: ${a.file} cannot be imported: ${err.message}. Nothing was written.`)
    } else if (err instanceof ImportRefused) {
      ctx.err(`error: ${err.message}. Nothing was written.`)
    } else {
      ctx.err(`error: the import stopped: ${err instanceof Error ? err.message : String(err)}. What was written before is complete (whole posts only); run the same command again to continue: what is already imported is skipped.`)
    }
    return 1
  }
}
