// The explicit, ordered list of migrations. Add new files at the end; never edit one that has landed.
import type { Migration } from 'kysely'
import * as m0001 from './0001_create_accounts.js'
import * as m0002 from './0002_create_settings_and_audit.js'

export const migrations: Record<string, Migration> = {
  '0001_create_accounts': m0001,
  '0002_create_settings_and_audit': m0002,
}
