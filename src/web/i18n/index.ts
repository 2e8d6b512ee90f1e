import { remembered } from '../../remembered.js'
import { type Lang, LANGS, type MessageSet } from './define.js'
import { webMessages } from '../messages.js'
import { authMessages } from '../../auth/messages.js'
import { userMessages } from '../../users/messages.js'
import { guidelineMessages } from '../../guidelines/messages.js'
import { searchMessages } from '../../search/messages.js'
import { feedMessages } from '../../feeds/messages.js'
import { microMessages } from '../../micro/messages.js'
import { commentMessages } from '../../comments/messages.js'
import { moderationMessages } from '../../moderation/messages.js'
import { notificationMessages } from '../../notifications/messages.js'
import { postMessages } from '../../posts/messages.js'
import { editorialMessages } from '../../editorial/messages.js'
import { tagMessages } from '../../tags/messages.js'
import { uploadMessages } from '../../uploads/messages.js'
import { widgetMessages } from '../../widgets/messages.js'
import { webhookMessages } from '../../webhooks/messages.js'
import { outboxMessages } from '../../outbox/messages.js'
import { mailMessages } from '../../mail/messages.js'
import { editorMessages } from '../../posts/editor-messages.js'
import { ssoMessages } from '../../sso/messages.js'
import { archiveMessages } from '../../archive/messages.js'
import { privacyMessages } from '../../privacy/messages.js'
import { retentionMessages } from '../../retention/messages.js'
import { followingMessages } from '../../following/messages.js'
import { bookmarkMessages } from '../../bookmarks/messages.js'
import { stewardshipMessages } from '../../stewardship/messages.js'
import { statisticsMessages } from '../../statistics/messages.js'
import { profileMessages } from '../../profiles/messages.js'
import { identityMessages } from '../../identity/messages.js'

export type { Lang } from './define.js'
export { LANGS } from './define.js'

// Every feature's catalogue; add new ones here.
const sets = [webMessages, authMessages, userMessages, guidelineMessages, searchMessages, feedMessages,
  microMessages, commentMessages, moderationMessages, notificationMessages,
  postMessages, editorialMessages, tagMessages, uploadMessages, outboxMessages, mailMessages, editorMessages,
  ssoMessages, widgetMessages, webhookMessages, archiveMessages, privacyMessages, retentionMessages,
  followingMessages, bookmarkMessages, stewardshipMessages, statisticsMessages, profileMessages, identityMessages] as const

type KeysOf<S> = S extends MessageSet<infer K> ? K : never
export type MessageKey = KeysOf<(typeof sets)[number]>

const catalogs = Object.fromEntries(
  LANGS.map((lang) => [lang, Object.assign({}, ...sets.map((s) => s[lang])) as Record<string, string>]),
) as Record<Lang, Record<string, string>>

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' }

/**
 * "{count, plural, one {# enhet} other {# enheter}}" (the ICU MessageFormat subset we use): the form
 * Intl.PluralRules picks for the number, "#" the number as the language writes it. "=0 {…}" matches exactly.
 */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other) \{[^{}]*\})+)\s*\}/g
const OPTION = /(=\d+|zero|one|two|few|many|other) \{([^{}]*)\}/g

interface PluralTools { rules: Intl.PluralRules; number: Intl.NumberFormat }

/** A plural's forms, parsed once per text (the catalogues' texts: a bounded set). */
const parsedForms = new Map<string, Map<string, string>>()

function choosePlurals(text: string, params: Params, tools: PluralTools): string {
  return text.replace(PLURAL, (whole, name: string, options: string) => {
    const n = Number(params[name])
    if (!(name in params) || Number.isNaN(n)) return whole
    let forms = parsedForms.get(options)
    if (!forms) parsedForms.set(options, forms = new Map([...options.matchAll(OPTION)].map((m) => [m[1]!, m[2]!])))
    const form = forms.get(`=${n}`) ?? forms.get(tools.rules.select(n)) ?? forms.get('other') ?? ''
    return form.replace(/#/g, tools.number.format(n))
  })
}

function makeTranslator(lang: Lang, catalog: Record<string, string>): Translate {
  const plurals: PluralTools = { rules: new Intl.PluralRules(LOCALES[lang]), number: new Intl.NumberFormat(LOCALES[lang]) }
  return (key, params) => {
    const raw = catalog[key] ?? catalogs.nb[key] ?? key
    if (!params) return raw
    const text = raw.includes(', plural,') ? choosePlurals(raw, params, plurals) : raw
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  }
}

const translators = new Map<Lang, Translate>()
for (const lang of LANGS) translators.set(lang, makeTranslator(lang, catalogs[lang]))

/**
 * The site's own name and tagline (Administration → Site identity); empty: the catalogue's texts.
 * `taglines`: its own tagline in nynorsk or English; empty: the bokmål one (`tagline`).
 */
export interface Brand { name?: string; tagline?: string; taglines?: Partial<Record<Lang, string>> }

// The catalogues name the site "Betablogg" wherever they mention it (page titles, feeds, e-mails):
// with a name of its own, every such text says that name instead. Made once per name, not per request.
const DEFAULT_NAME = /\bBetablogg\b/g
const branded = new Map<string, Translate>()

function brandedCatalog(lang: Lang, brand: Brand): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, text] of Object.entries(catalogs[lang])) out[key] = brand.name ? text.replace(DEFAULT_NAME, () => brand.name!) : text
  if (brand.name) out['site.name'] = brand.name
  if (brand.tagline) out['site.tagline'] = brand.tagline
  return out
}

export function translator(lang: Lang, own: Brand = {}): Translate {
  const brand = { name: own.name, tagline: own.taglines?.[lang] || own.tagline }
  if (!brand.name && !brand.tagline) return translators.get(lang)!
  const key = `${lang}\n${brand.name ?? ''}\n${brand.tagline ?? ''}`
  let t = branded.get(key)
  if (!t) {
    if (branded.size >= 30) branded.clear() // names change seldom; a handful of entries at most
    t = makeTranslator(lang, brandedCatalog(lang, brand))
    branded.set(key, t)
  }
  return t
}

/** Every key of every language, for the completeness test. */
export function catalogKeys(lang: Lang): string[] {
  return Object.keys(catalogs[lang])
}

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value)
}

/** Picks nb, nn or en from an Accept-Language header; plain "no" and "nb"/"nn" variants count. */
export function negotiateLanguage(header: string | undefined): Lang {
  return header ? negotiated(header) : 'nb'
}

/** Every request asks, and most browsers send one of a few headers. */
const negotiated = remembered((header: string) => header, rankLanguages, 500, 256)

function rankLanguages(header: string): Lang {
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().toLowerCase().split(';')
      const q = rest.find((p) => p.trim().startsWith('q='))
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 }
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0]
    if (primary === 'nn') return 'nn'
    if (primary === 'nb' || primary === 'no') return 'nb'
    if (primary === 'en') return 'en'
  }
  return 'nb'
}
