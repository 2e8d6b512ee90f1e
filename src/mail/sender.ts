// The outbox's 'email' channel: builds the message of each kind at send time (current address and
// language, links made now) and hands it to SMTP. The Message-ID is derived from the idempotency
// key, so a message sent again after a crash is recognisably the same message.
import { createHash } from 'node:crypto'
import type { Sender } from '../outbox/registry.js'
import { PermanentSendError } from '../outbox/registry.js'
import { buildInvitation, buildPasswordReset } from './build-account.js'
import { buildDailyDigest, buildNotification } from './build-notification.js'
import { renderHtml, renderText } from './compose.js'
import { type Builder, type MailContext, unsubscribeUrl } from './context.js'
import { buildWeeklyDigest } from './digests.js'
import type { MailTransport } from './transport.js'
import type { MailContent } from './compose.js'
import { translator, type Translate } from '../web/i18n/index.js'
import { siteBrand, type FooterLink } from '../settings/store.js'

/** MAIL_FROM with the site's own name as the sender's name, when it has one (the address stays). */
export function senderOf(from: string, siteName: string | undefined): string | { name: string; address: string } {
  if (!siteName) return from
  const address = /<([^<>\s]+)>\s*$/.exec(from)?.[1] ?? from.trim()
  return { name: siteName, address }
}

/** Every e-mail ends with the site's name and tagline, and its contact and privacy links when set. */
function withSiteFooter(c: MailContent, t: Translate, links: FooterLink[]): MailContent {
  const own = links.filter((l) => l.kind !== 'accessibility').map((l) => ({ label: l.label, href: l.url }))
  return { ...c, footer: [...c.footer, `${t('site.name')} – ${t('site.tagline')}`], footerLinks: [...c.footerLinks, ...own] }
}

const BUILDERS: Record<string, Builder> = {
  notification: buildNotification,
  'digest.daily': buildDailyDigest,
  'digest.weekly': buildWeeklyDigest,
  invitation: buildInvitation,
  'password-reset': buildPasswordReset,
}

export function emailSender(ctx: MailContext, transport: MailTransport): Sender {
  const host = new URL(ctx.config.baseUrl).hostname
  return {
    async send(message) {
      const build = BUILDERS[message.kind]
      if (!build) throw new PermanentSendError(`no e-mail for kind ${message.kind}`)
      const site = await ctx.settings?.get()
      const brand = site ? siteBrand(site) : {}
      const built = await build({ ...ctx, brand }, message)
      if ('skipped' in built) return built
      const content = withSiteFooter(built.content, translator(built.content.lang, brand), site?.siteFooterLinks ?? [])
      const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' }
      if (built.unsubscribe) {
        // RFC 8058: a mail client may unsubscribe with one POST to this URL, no login, no page.
        headers['List-Unsubscribe'] = `<${unsubscribeUrl(ctx.config, built.unsubscribe.userId, built.unsubscribe.scope)}>`
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
      }
      const thread = built.threadPostId ? `<post-${built.threadPostId}@${host}>` : undefined
      try {
        await transport.sendMail({
          from: senderOf(ctx.config.mail!.from, site?.siteName),
          to: built.to,
          subject: content.subject,
          text: renderText(content),
          html: renderHtml(content),
          messageId: `<${createHash('sha256').update(message.key).digest('hex').slice(0, 32)}@${host}>`,
          inReplyTo: thread,
          references: thread,
          headers,
        })
      } catch (err) {
        // 5xx from the server about this message or address: retrying will not help.
        const code = (err as { responseCode?: number }).responseCode
        if (code && code >= 500 && (err as { command?: string }).command !== 'CONN') {
          throw new PermanentSendError(`${code} ${(err as Error).message}`)
        }
        throw err
      }
      return 'sent'
    },
  }
}
