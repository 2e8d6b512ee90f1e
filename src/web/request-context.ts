// Per-request context every page needs: who is logged in, in which language, and the layout's
// locals. Set in one place (hooks.ts) so handlers never assemble layout data themselves.
import type { Lang, Translate } from './i18n/index.js'
import type { Formatter } from './i18n/format.js'
import type { CurrentUser } from '../users/user.js'
import type { SiteSettings } from '../settings/store.js'
import type { csrfField } from './csrf-field.js'
import type { ownViews } from './shared-page.js'

export interface PageLocals {
  user: CurrentUser | null
  lang: Lang
  t: Translate
  fmt: Formatter
  /** The request path, for "current page" marks in the navigation and login's next=. */
  path: string
  settings: SiteSettings
  /** BASE_URL: absolute addresses in the page (Open Graph). */
  baseUrl: string
  /** A CSRF token for this session; generated only by pages that have a form. */
  csrf: () => string
  /** The hidden field with that token, for a form: `<%~ it.csrfField() %>` (see csrf-field.ts). */
  csrfField: typeof csrfField
  /** A part its owner sees otherwise (their comment), as this reader sees it (see shared-page.ts). */
  ownViews: typeof ownViews
  /** Post HTML with its video and slide links in the reader's language (src/markdown/embed.ts). */
  localiseEmbeds: (html: string) => string
  /** Extra <link rel="alternate"> feeds a page announces in its head. */
  feeds: { title: string; href: string; type: string }[]
}

declare module 'fastify' {
  interface FastifyRequest {
    user: CurrentUser | null
    lang: Lang
    t: Translate
    settings: SiteSettings
  }
  interface FastifyReply {
    locals: PageLocals
  }
  interface FastifyContextConfig {
    /** Reachable without login even when the site is internal (login, setup, health, feeds with key). */
    public?: boolean
  }
}
