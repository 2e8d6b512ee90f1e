// Site settings that admins change at run time. Environment variables give the defaults; a value
// saved by an admin wins. Read on every request, so they are cached until the settings or the users
// (the count of editors) change, in this process or any other (src/coherence).
import type { Kysely } from 'kysely'
import type { Config, Visibility } from '../config.js'
import type { DB } from '../db/schema.js'
import { changedSince, type ChangeFeed } from '../coherence/index.js'
import { countActiveEditors, listSettings, upsertSetting } from './queries.js'
import { loadOrigins } from '../widgets/origins.js'

/**
 * auto: four eyes once the site has two active editors (a sole editor publishes; the default);
 * always: an editor never approves their own post; off: editors approve their own posts too.
 */
export type FourEyesMode = 'auto' | 'always' | 'off'
export const FOUR_EYES_MODES: readonly FourEyesMode[] = ['auto', 'always', 'off']

export interface SiteSettings {
  visibility: Visibility
  fourEyesMode: FourEyesMode
  /** Active editors now (up to 2: all that four eyes needs to know). */
  editorCount: number
  /** Four-eyes principle in force now: an editor cannot approve their own post. */
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
  /** Site identity (src/identity): '' or null or none means today's fixed texts and no logo. */
  siteName: string
  /** The tagline and front-page introduction in bokmål, and in nynorsk and English ('': the bokmål ones). */
  siteTagline: string
  siteTaglineNn: string
  siteTaglineEn: string
  siteIntroMd: string
  siteIntroMdNn: string
  siteIntroMdEn: string
  /** siteIntroMd… through src/markdown: safe for `<%~`. */
  siteIntroHtml: string
  siteIntroHtmlNn: string
  siteIntroHtmlEn: string
  siteLogo: SiteLogo | null
  siteFooterLinks: FooterLink[]
}

export interface SiteLogo { path: string; width: number; height: number }
export type FooterLinkKind = 'contact' | 'privacy' | 'accessibility'
export const FOOTER_LINK_KINDS: readonly FooterLinkKind[] = ['contact', 'privacy', 'accessibility']
export interface FooterLink { kind: FooterLinkKind; label: string; url: string }
/** Texts of the identity stored as they are. */
const TEXT_KEYS = new Set(['siteName', 'siteTagline', 'siteTaglineNn', 'siteTaglineEn', 'siteIntroMd', 'siteIntroMdNn', 'siteIntroMdEn', 'siteIntroHtml', 'siteIntroHtmlNn', 'siteIntroHtmlEn'])
type TextKey = 'siteName' | `siteTagline${'' | 'Nn' | 'En'}` | `siteIntro${'Md' | 'Html'}${'' | 'Nn' | 'En'}`
// Stored as JSON text in the settings table.
const JSON_KEYS = new Set(['siteLogo', 'siteFooterLinks'])

function parseJson<T>(value: string, ok: (v: unknown) => v is T): T | undefined {
  try {
    const v: unknown = JSON.parse(value)
    return ok(v) ? v : undefined
  } catch {
    return undefined
  }
}
const isLogo = (v: unknown): v is SiteLogo =>
  !!v && typeof (v as SiteLogo).path === 'string' && Number.isInteger((v as SiteLogo).width) && Number.isInteger((v as SiteLogo).height)
const isLinks = (v: unknown): v is FooterLink[] =>
  Array.isArray(v) && v.every((l) => FOOTER_LINK_KINDS.includes(l?.kind) && typeof l.label === 'string' && typeof l.url === 'string')

/** What the settings are made of: the saved values, and the users (who is an active editor). */
const SCOPES = ['settings', 'users']

function defaults(config: Config): SiteSettings {
  return {
    visibility: config.siteVisibility, fourEyesMode: 'auto', editorCount: 0, fourEyes: false, queueReminderDays: 3,
    localLogin: true, ssoCreate: true, ssoClaim: true, ssoLink: false, widgetOrigins: [], widgetKeyNonce: '',
    siteName: '', siteTagline: '', siteTaglineNn: '', siteTaglineEn: '', siteIntroMd: '', siteIntroMdNn: '', siteIntroMdEn: '',
    siteIntroHtml: '', siteIntroHtmlNn: '', siteIntroHtmlEn: '', siteLogo: null, siteFooterLinks: [],
  }
}

// Stored as "fourEyes": the older "true"/"false" of a checkbox mean always/off.
const STORED_MODE: Record<string, FourEyesMode> = { true: 'always', false: 'off', auto: 'auto', always: 'always', off: 'off' }

function parse(base: SiteSettings, rows: { key: string; value: string }[]): SiteSettings {
  const s = { ...base }
  for (const { key, value } of rows) {
    if (key === 'visibility' && (value === 'internal' || value === 'public')) s.visibility = value
    if (key === 'fourEyes') s.fourEyesMode = STORED_MODE[value] ?? 'auto'
    if (key === 'queueReminderDays' && /^\d+$/.test(value)) s.queueReminderDays = Number(value)
    if (key === 'localLogin' || key === 'ssoCreate' || key === 'ssoClaim' || key === 'ssoLink') s[key] = value === 'true'
    if (key === 'widgetOrigins') s.widgetOrigins = loadOrigins(value)
    if (key === 'widgetKeyNonce') s.widgetKeyNonce = value
    if (TEXT_KEYS.has(key)) s[key as TextKey] = value
    if (key === 'siteLogo') s.siteLogo = parseJson(value, isLogo) ?? null
    if (key === 'siteFooterLinks') s.siteFooterLinks = parseJson(value, isLinks) ?? []
  }
  return s
}

/** The name and taglines for the translator (src/web/i18n: a language without its own tagline says bokmål's). */
export function siteBrand(s: SiteSettings) {
  return { name: s.siteName, tagline: s.siteTagline, taglines: { nn: s.siteTaglineNn, en: s.siteTaglineEn } }
}

/** The front-page introduction in a language (safe HTML): its own, else the bokmål one; '' for none. */
export function siteIntroHtmlIn(s: SiteSettings, lang: string): string {
  return (lang === 'nn' ? s.siteIntroHtmlNn : lang === 'en' ? s.siteIntroHtmlEn : '') || s.siteIntroHtml
}

export class SettingsStore {
  private cached: SiteSettings | undefined
  private loadedAfter = -1

  /** Without a change feed (a one-off CLI command) nothing is cached. */
  constructor(private readonly db: Kysely<DB>, private readonly config: Config, private readonly changes?: ChangeFeed) {}

  async get(): Promise<SiteSettings> {
    // Re-read once the settings or the users changed: a second editor appointed a moment ago (here,
    // in another instance or with the CLI) turns four eyes on for the very next decision.
    return this.asOf(this.changes?.sync() ?? -1)
  }

  /**
   * The settings as of change `seen`, which the caller has just taken in (ChangeFeed.sync): a request's
   * hooks read them with the sync made at the request's start (req.changeSeen), not a second one.
   */
  async asOf(seen: number): Promise<SiteSettings> {
    const kept = this.keptAsOf()
    if (kept) return kept
    const s = parse(defaults(this.config), await listSettings(this.db))
    s.editorCount = await countActiveEditors(this.db, 2)
    s.fourEyes = s.fourEyesMode === 'always' || (s.fourEyesMode === 'auto' && s.editorCount >= 2)
    this.cached = s
    this.loadedAfter = seen
    return this.cached
  }

  /**
   * The settings already read, when no change since could alter them (else undefined: ask asOf). A
   * page sent from a cache needs nothing else from here, and this costs it no promise.
   */
  keptAsOf(): SiteSettings | undefined {
    return this.cached && this.changes && !changedSince(this.changes, SCOPES, this.loadedAfter) ? this.cached : undefined
  }

  /** Saves what an administrator set; `fourEyes` (true/false) is the older always/off. */
  async update(patch: Partial<Omit<SiteSettings, 'editorCount'>>, by: number | null): Promise<SiteSettings> {
    const now = new Date().toISOString()
    const { fourEyes, fourEyesMode, ...rest } = patch
    const stored: Record<string, unknown> = { ...rest }
    if (fourEyes !== undefined) stored.fourEyes = fourEyes ? 'always' : 'off'
    if (fourEyesMode !== undefined) stored.fourEyes = fourEyesMode
    for (const [key, value] of Object.entries(stored)) {
      if (value !== undefined) await upsertSetting(this.db, key, JSON_KEYS.has(key) ? JSON.stringify(value) : String(value), now, by)
    }
    this.cached = undefined
    return this.get()
  }
}
