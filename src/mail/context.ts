// What every e-mail builder gets: the server's settings, the database, and helpers for the person's
// language and for links back to the site.
import type { Kysely } from 'kysely'
import type { Config } from '../config.js'
import type { DB } from '../db/schema.js'
import { type Brand, isLang, type Lang, translator, type Translate } from '../web/i18n/index.js'
import type { SiteSettings } from '../settings/store.js'
import { formatter, type Formatter } from '../web/i18n/format.js'
import type { OutboxMessage } from '../outbox/registry.js'
import type { MailContent } from './compose.js'
import type { findRecipient } from './queries.js'
import { signUnsubscribe } from './unsubscribe-token.js'

export interface MailContext {
  db: Kysely<DB>
  config: Config
  /** The site settings, for the site's name, tagline and footer links (src/identity). */
  settings?: { get(): Promise<SiteSettings> }
  /** Set by the sender for each message from `settings`. */
  brand?: Brand
}

export type Recipient = NonNullable<Awaited<ReturnType<typeof findRecipient>>>

/** A built e-mail: content plus what the headers need. */
export interface BuiltMail {
  to: string
  content: MailContent
  /** Posts this e-mail is about: it joins the post's thread (References/In-Reply-To). */
  threadPostId?: number
  /** For List-Unsubscribe; absent on transactional mail (invitations, password resets). */
  unsubscribe?: { userId: number; scope: string }
}

export type Builder = (ctx: MailContext, message: OutboxMessage) => Promise<BuiltMail | { skipped: string }>

export interface Speaker { lang: Lang; t: Translate; fmt: Formatter }

export function speakerFor(person: { language: string | null }, brand?: Brand): Speaker {
  const lang: Lang = isLang(person.language) ? person.language : 'nb'
  return { lang, t: translator(lang, brand), fmt: formatter(lang) }
}

export function absolute(config: Config, path: string): string {
  return `${config.baseUrl}${path.startsWith('/') ? path : `/${path}`}`
}

export function unsubscribeUrl(config: Config, userId: number, scope: string): string {
  return absolute(config, `/unsubscribe/${signUnsubscribe(config.sessionSecret, userId, scope)}`)
}

/** The footer of mail someone chose to get: why, where to change it, and how to stop it in one click. */
export function optionalFooter(config: Config, s: Speaker, userId: number, scope: string, why: string): Pick<MailContent, 'footer' | 'footerLinks'> {
  return {
    footer: [why],
    footerLinks: [
      { label: s.t('mail.footer.settings'), href: absolute(config, '/settings/notifications') },
      { label: s.t('mail.footer.unsubscribe'), href: unsubscribeUrl(config, userId, scope) },
    ],
  }
}
