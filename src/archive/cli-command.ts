// `npm run cli -- archive extract --from YYYY-MM-DD --to YYYY-MM-DD --out <folder>`
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { CliContext } from '../cli/context.js'
import { InvalidError } from '../errors.js'
import { translator } from '../web/i18n/index.js'
import { createExtract } from './service.js'

export const ARCHIVE_USAGE = 'usage: archive extract --from YYYY-MM-DD --to YYYY-MM-DD --out <folder>'

function parse(args: string[]) {
  try {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } } })
    const { from, to, out } = values
    return positionals.length === 1 && positionals[0] === 'extract' && from && to && out ? { from, to, out } : undefined
  } catch {
    return undefined
  }
}

export async function archiveCommand(ctx: CliContext, args: string[]): Promise<number> {
  const a = parse(args)
  if (!a) { ctx.err(ARCHIVE_USAGE); return 2 }
  const out = path.resolve(a.out)
  const existing = await fs.readdir(out).catch(() => [])
  if (existing.length) { ctx.err(`${out} is not empty: choose a new folder`); return 1 }
  try {
    const x = await createExtract(ctx.database.db, { from: a.from, to: a.to }, null)
    for (const f of x.files) {
      await fs.mkdir(path.dirname(path.join(out, f.name)), { recursive: true })
      await fs.writeFile(path.join(out, f.name), f.data)
    }
    ctx.out(`Archive extract written to ${out}: ${x.posts} posts, ${x.documents} documents. SHA-256 of arkivuttrekk.xml: ${x.manifestHash}`)
    return 0
  } catch (err) {
    if (!(err instanceof InvalidError)) throw err
    const t = translator('en')
    for (const [field, key] of Object.entries(err.fields)) ctx.err(`${field}: ${t(key)}`)
    return 1
  }
}
