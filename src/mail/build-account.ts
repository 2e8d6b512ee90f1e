// Invitations and password-reset links by e-mail. The link's token is derived when sending (from
// the server secret and the outbox message or reset nonce); only its hash is stored.
import { derivedToken, hashToken } from '../auth/tokens.js'
import { RESET_MINUTES } from '../auth/reset.js'
import { absolute, type Builder, speakerFor } from './context.js'
import { findInvitationById, findPasswordResetById, findRecipient, insertInvitationCopy } from './queries.js'

export const buildInvitation: Builder = async ({ db, config, brand }, message) => {
  const inv = await findInvitationById(db, Number(message.payload.invitationId))
  if (!inv || inv.used_at || Date.parse(inv.expires_at) <= Date.now()) return { skipped: 'invitation used or expired' }
  const person = await findRecipient(db, inv.user_id)
  if (!person?.is_active || !person.email) return { skipped: 'no active recipient with an address' }
  if (person.password_hash) return { skipped: 'the account already has a password' }
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
