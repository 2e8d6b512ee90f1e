// Invitations and password-reset links by e-mail. The link's token is derived when sending (from
// the server secret and the outbox message or reset nonce); only its hash is stored. Whether an
// invitation asks for a password is decided when sending too, by the same rule as the invitation page.
import { derivedToken, hashToken } from '../auth/tokens.js'
import { RESET_MINUTES } from '../auth/reset.js'
import { absolute, type Builder, type BuiltMail, type Recipient, speakerFor } from './context.js'
import type { Config } from '../config.js'
import type { Brand } from '../web/i18n/index.js'
import { mayUsePassword } from '../auth/external-login.js'
import { passwordLoginMode, SSO_START_PATH, takesOverInvitedAccounts } from '../sso/policy.js'
import { findInvitationById, findPasswordResetById, findRecipient, insertInvitationCopy } from './queries.js'

export const buildInvitation: Builder = async ({ db, config, settings, brand }, message) => {
  const inv = await findInvitationById(db, Number(message.payload.invitationId))
  if (!inv || inv.used_at || Date.parse(inv.expires_at) <= Date.now()) return { skipped: 'invitation used or expired' }
  const person = await findRecipient(db, inv.user_id)
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  if (person.password_hash) return { skipped: 'the account already has a password' }
  const site = await settings?.get()
  if (config.oidc && site && !mayUsePassword(passwordLoginMode(config.oidc, site), person.is_admin === 1)) {
    return providerInvitation(config, config.oidc.buttonLabel, takesOverInvitedAccounts(site), { ...person, email: person.email }, brand)
  }
  const token = derivedToken(config.sessionSecret, 'invitation-mail', String(message.id))
  await insertInvitationCopy(db, {
    tokenHash: hashToken(token), userId: inv.user_id, createdBy: inv.created_by, now: new Date().toISOString(), expiresAt: inv.expires_at,
  })
  const s = speakerFor(person, brand)
  return {
    to: person.email,
    content: {
      lang: s.lang, subject: s.t('mail.invite.subject'), heading: s.t('mail.invite.subject'),
      paragraphs: [s.t('mail.invite.body', { username: person.username, expires: s.fmt.dateTime(inv.expires_at) })],
      action: { label: s.t('mail.invite.action'), href: absolute(config, `/invite/${token}`) },
      footer: [], footerLinks: [],
    },
  }
}

/**
 * Password login off (single sign-on): what the invitation page offers in that mode, no password to
 * choose. The provider's sign-in with this address takes the account over, so the link is that sign-in;
 * when administrators let no sign-in take over accounts, the page and the e-mail say to ask one of them.
 */
function providerInvitation(config: Config, provider: string, takesOver: boolean, person: Recipient & { email: string }, brand?: Brand): BuiltMail {
  const s = speakerFor(person, brand)
  return {
    to: person.email,
    content: {
      lang: s.lang, subject: s.t('mail.invite.subject'), heading: s.t('mail.invite.subject'),
      paragraphs: [
        s.t('mail.invite.sso.body', { username: person.username, provider }),
        takesOver ? s.t('invite.provider.claim', { provider, email: person.email }) : s.t('invite.provider.noClaim', { provider }),
      ],
      action: takesOver ? { label: s.t('login.provider', { provider }), href: absolute(config, `${SSO_START_PATH}?next=${encodeURIComponent('/')}`) } : undefined,
      footer: [], footerLinks: [],
    },
  }
}

export const buildPasswordReset: Builder = async ({ db, config, brand }, message) => {
  const reset = await findPasswordResetById(db, Number(message.payload.resetId))
  if (!reset || reset.used_at || Date.parse(reset.expires_at) <= Date.now()) return { skipped: 'reset link used or expired' }
  const person = await findRecipient(db, reset.user_id)
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  const token = derivedToken(config.sessionSecret, 'password-reset', String(message.payload.nonce))
  const s = speakerFor(person, brand)
  return {
    to: person.email,
    content: {
      lang: s.lang, subject: s.t('mail.reset.subject'), heading: s.t('mail.reset.subject'),
      paragraphs: [s.t('mail.reset.body', { username: person.username, minutes: RESET_MINUTES }), s.t('mail.reset.ignore')],
      action: { label: s.t('mail.reset.action'), href: absolute(config, `/password/reset/${token}`) },
      footer: [], footerLinks: [],
    },
  }
}
