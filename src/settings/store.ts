// Site settings that admins change at run time. Environment variables give the defaults; a value
// saved by an admin wins. Read on every request, so they are cached and re-read after a short time
// (another instance or the CLI may have changed them).
import type { Kysely } from 'kysely'
import type { Config, Visibility } from '../config.js'
import type { DB } from '../db/schema.js'
import { listSettings, upsertSetting } from './queries.js'
import { loadOrigins } from '../widgets/origins.js'

export interface SiteSettings {
  visibility: Visibility
  /** Four-eyes principle: an editor cannot approve their own post. */
  fourEyes: boolean
  /** Editors are reminded of posts that have waited longer than this in the queue. */
  queueReminderDays: number
  /** Password login; off only counts while single sign-on is configured (src/sso). */
  localLogin: boolean
  /** Single sign-on account policy for a first login: create, claim a pre-created one, link by e-mail. */
  ssoCreate: boolean
  ssoClaim: boolean
  ssoLink: boolean
  /** Origins allowed to frame the widgets (src/widgets); none: widgets show only on this site. */
  widgetOrigins: string[]
  /** The widget key's nonce (src/widgets/key.ts); empty until first needed. */
  widgetKeyNonce: string
}

const CACHE_MS = 5_000

function defaults(config: Config): SiteSettings {
  return { visibility: config.siteVisibility, fourEyes: true, queueReminderDays: 3, localLogin: true, ssoCreate: true, ssoClaim: true, ssoLink: false, widgetOrigins: [], widgetKeyNonce: '' }
}

function parse(base: SiteSettings, rows: { key: string; value: string }[]): SiteSettings {
  const s = { ...base }
  for (const { key, value } of rows) {
    if (key === 'visibility' && (value === 'internal' || value === 'public')) s.visibility = value
    if (key === 'fourEyes') s.fourEyes = value === 'true'
    if (key === 'queueReminderDays' && /^\d+$/.test(value)) s.queueReminderDays = Number(value)
    if (key === 'localLogin' || key === 'ssoCreate' || key === 'ssoClaim' || key === 'ssoLink') s[key] = value === 'true'
    if (key === 'widgetOrigins') s.widgetOrigins = loadOrigins(value)
    if (key === 'widgetKeyNonce') s.widgetKeyNonce = value
  }
  return s
}

export class SettingsStore {
  private cached: SiteSettings | undefined
  private loadedAt = 0

  constructor(private readonly db: Kysely<DB>, private readonly config: Config) {}

  async get(): Promise<SiteSettings> {
    if (this.cached && Date.now() - this.loadedAt < CACHE_MS) return this.cached
    this.cached = parse(defaults(this.config), await listSettings(this.db))
    this.loadedAt = Date.now()
    return this.cached
  }

  async update(patch: Partial<SiteSettings>, by: number | null): Promise<SiteSettings> {
    const now = new Date().toISOString()
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) await upsertSetting(this.db, key, String(value), now, by)
    }
    this.cached = undefined
    return this.get()
  }
}
