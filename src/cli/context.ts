// What every CLI command works on: the same configuration and DATA_DIR as the server. SQLite's WAL
// mode lets the CLI write while the server runs.
import { loadConfig, type Config } from '../config.js'
import type { Database } from '../db/database.js'
import { openConfiguredDatabase } from '../db/open.js'
import { migrateToLatest } from '../db/migrate.js'

export interface CliContext {
  config: Config
  database: Database
  out: (line: string) => void
  err: (line: string) => void
  /** Reads all of standard input (for --password-stdin). */
  readStdin: () => Promise<string>
  /** Asks for a secret on the terminal without echo; undefined when there is no terminal. */
  promptSecret: (question: string) => Promise<string | undefined>
}

export async function openContext(env: NodeJS.ProcessEnv, io: Pick<CliContext, 'out' | 'err' | 'readStdin' | 'promptSecret'>): Promise<CliContext> {
  const config = loadConfig(env)
  const database = await openConfiguredDatabase(config)
  await migrateToLatest(database.db)
  return { config, database, ...io }
}
