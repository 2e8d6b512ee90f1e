// The SMTP connection, from SMTP_URL or SMTP_HOST & co. Timeouts stay well inside the outbox lease,
// so a send that hangs fails (and is retried) before another worker may claim the message.
import { createRequire } from 'node:module'
import type Nodemailer from 'nodemailer'
import type { MailConfig } from '../config.js'

export type MailTransport = ReturnType<typeof Nodemailer.createTransport>

export function createMailTransport(mail: MailConfig, leaseMs: number): MailTransport {
  // Loaded here, not at start-up: without SMTP configured it is never needed (it costs a start ~0.1 s).
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer
  const timeout = Math.max(100, Math.min(60_000, Math.floor(leaseMs / 3)))
  const timeouts = { connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout }
  if (mail.url) {
    const u = new URL(mail.url)
    return nodemailer.createTransport({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : u.protocol === 'smtps:' ? 465 : 587,
      secure: u.protocol === 'smtps:',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      ...timeouts,
    })
  }
  return nodemailer.createTransport({
    host: mail.host!,
    port: mail.port,
    secure: mail.secure,
    auth: mail.user ? { user: mail.user, pass: mail.password ?? '' } : undefined,
    ...timeouts,
  })
}
