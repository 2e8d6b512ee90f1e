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
      const built = await build(ctx, message)
      if ('skipped' in built) return built
      const { content } = built
      const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' }
      if (built.unsubscribe) {
        // RFC 8058: a mail client may unsubscribe with one POST to this URL, no login, no page.
        headers['List-Unsubscribe'] = `<${unsubscribeUrl(ctx.config, built.unsubscribe.userId, built.unsubscribe.scope)}>`
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
      }
      const thread = built.threadPostId ? `<post-${built.threadPostId}@${host}>` : undefined
      try {
        await transport.sendMail({
          from: ctx.config.mail!.from,
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
