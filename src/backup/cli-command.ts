// `npm run cli -- restore <backup folder>` (see restore.ts). Runs without opening the database.
import type { Config } from '../config.js'
import type { CliIo } from '../cli/main.js'
import { restoreBackup, RestoreRefused } from './restore.js'

export async function restoreCommand(config: Config, args: string[], io: CliIo): Promise<number> {
  const [folder, ...extra] = args
  if (!folder || extra.length) {
    io.err('usage: restore <backup folder>   (e.g. DATA_DIR/backups/2026-12-05T10-00-00-000Z)')
    return 2
  }
  try {
    const r = await restoreBackup(config, folder)
    io.out(`Restored the backup of ${r.manifest.createdAt} (schema ${r.manifest.schemaVersion}, Betablogg ${r.manifest.appVersion}): database and ${r.uploads} upload files.`)
    io.out(`The data it replaced is in ${r.setAside}. Start the server (it applies newer migrations), then run: npm run cli -- audit verify`)
    return 0
  } catch (err) {
    if (err instanceof RestoreRefused) {
      io.err(`Restore refused: ${err.message}. Nothing was changed.`)
      return 1
    }
    io.err(`error: the restore stopped: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}
