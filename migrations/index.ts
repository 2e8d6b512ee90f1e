// The explicit, ordered list of migrations. Add new files at the end; never edit one that has landed.
import type { Migration } from 'kysely'
import * as m0001 from './0001_create_accounts.js'
import * as m0002 from './0002_create_settings_and_audit.js'
import * as m0003 from './0003_create_posts.js'
import * as m0004 from './0004_create_microblog_and_comments.js'
import * as m0040 from './0040_create_guidelines.js'

export const migrations: Record<string, Migration> = {
  '0001_create_accounts': m0001,
  '0002_create_settings_and_audit': m0002,
  '0003_create_posts': m0003,
  '0004_create_microblog_and_comments': m0004,
  '0040_create_guidelines': m0040,
}
