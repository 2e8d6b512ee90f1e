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
import { outboxMessages } from '../../outbox/messages.js'
import { mailMessages } from '../../mail/messages.js'
import { archiveMessages } from '../../archive/messages.js'
import { privacyMessages } from '../../privacy/messages.js'
import { retentionMessages } from '../../retention/messages.js'

export type { Lang } from './define.js'
export { LANGS } from './define.js'

// Every feature's catalogue; add new ones here.
const sets = [webMessages, authMessages, userMessages, guidelineMessages, searchMessages, feedMessages,
  microMessages, commentMessages, moderationMessages, notificationMessages,
  postMessages, editorialMessages, tagMessages, uploadMessages, outboxMessages, mailMessages,
  archiveMessages, privacyMessages, retentionMessages] as const

type KeysOf<S> = S extends MessageSet<infer K> ? K : never
export type MessageKey = KeysOf<(typeof sets)[number]>

const catalogs = Object.fromEntries(
  LANGS.map((lang) => [lang, Object.assign({}, ...sets.map((s) => s[lang])) as Record<string, string>]),
) as Record<Lang, Record<string, string>>

export type Params = Record<string, string | number>
export type Translate = (key: MessageKey, params?: Params) => string

const translators = new Map<Lang, Translate>()
for (const lang of LANGS) {
  const catalog = catalogs[lang]
  translators.set(lang, (key, params) => {
    const text = catalog[key] ?? catalogs.nb[key] ?? key
    if (!params) return text
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
  })
}

export function translator(lang: Lang): Translate {
  return translators.get(lang)!
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
  if (!header) return 'nb'
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
