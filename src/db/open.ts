// The database the configuration asks for: PostgreSQL when DATABASE_URL is set, else the SQLite file.
import type { Config } from '../config.js'
import { openDatabase, type Database } from './database.js'
import { openPostgres } from './postgres/open.js'

export async function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openDatabase(config.databaseFile)
}
