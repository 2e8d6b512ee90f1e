// Site identity: the name, tagline, logo, front-page introduction and footer links an administrator
// sets (stored in the settings store, src/settings). Empty texts mean today's fixed ones. The logo goes
// through the upload pipeline (PNG or JPEG, re-encoded, no metadata; an SVG is refused: it may carry
// scripts). Every change is in the audit trail.
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { CurrentUser } from '../users/user.js'
import type { SettingsStore, FooterLink, FooterLinkKind, SiteSettings } from '../settings/store.js'
import { FOOTER_LINK_KINDS } from '../settings/store.js'
import { ForbiddenError, InvalidError, type FieldErrors } from '../errors.js'
import { appendAuditEvent } from '../audit/chain.js'
import { cleanLine, cleanText } from '../posts/post.js'
import { renderMarkdown } from '../markdown/index.js'
import { ImageRejectedError } from '../uploads/image-process.js'
import { REJECTION_MESSAGES } from '../uploads/service.js'
import { looksLikeSvg, processLogo } from '../uploads/image-fit.js'
import { deleteImage, saveImage } from '../uploads/storage.js'
import type { ReceivedFile } from '../uploads/multipart.js'

export const LIMITS = { name: 60, tagline: 160, intro: 2000, label: 60, url: 500 } as const
export const LOGO_MAX_HEIGHT = 128
export const LOGO_MAX_WIDTH = 640

const REJECTIONS = { ...REJECTION_MESSAGES, 'unsupported-type': 'identity.logo.unsupported' } as const

/** The tagline and introduction are set per language: bokmål's fields have no suffix (and stand in for the others). */
export const TEXT_LANGS = [{ lang: 'nb', suffix: '' }, { lang: 'nn', suffix: 'Nn' }, { lang: 'en', suffix: 'En' }] as const
type Suffix = (typeof TEXT_LANGS)[number]['suffix']

export type IdentityForm = { siteName: string } & Record<`siteTagline${Suffix}` | `siteIntroMd${Suffix}`, string>
  & Record<`${FooterLinkKind}${'Label' | 'Url'}`, string>

function requireAdmin(actor: CurrentUser) {
  if (!actor.isAdmin) throw new ForbiddenError('admin role required')
}

/** An address a footer link may have: http(s), mailto: (for contact), or a path on this site. */
export function isFooterUrl(url: string): boolean {
  if (/^\/(?!\/)[^\s\\]*$/.test(url)) return true
  try {
    const u = new URL(url)
    if (u.protocol === 'mailto:') return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(decodeURIComponent(u.pathname))
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname && !u.username && !u.password
  } catch {
    return false
  }
}

export function validateIdentity(raw: Partial<IdentityForm>, errors: FieldErrors) {
  const name = cleanLine(raw.siteName)
  if ([...name].length > LIMITS.name) errors.siteName = 'identity.name.tooLong'
  const texts: Partial<Record<`siteTagline${Suffix}` | `siteIntroMd${Suffix}`, string>> = {}
  for (const { lang, suffix } of TEXT_LANGS) {
    const tagline = (texts[`siteTagline${suffix}`] = cleanLine(raw[`siteTagline${suffix}`]))
    const introMd = (texts[`siteIntroMd${suffix}`] = cleanText(raw[`siteIntroMd${suffix}`]).trim())
    if ([...tagline].length > LIMITS.tagline) errors[`siteTagline${suffix}`] = `identity.tagline.${lang}.tooLong`
    if ([...introMd].length > LIMITS.intro) errors[`siteIntroMd${suffix}`] = `identity.intro.${lang}.tooLong`
  }
  const links: FooterLink[] = []
  for (const kind of FOOTER_LINK_KINDS) {
    const label = cleanLine(raw[`${kind}Label`])
    const url = cleanLine(raw[`${kind}Url`])
    if ([...label].length > LIMITS.label) errors[`${kind}Label`] = 'identity.link.label.tooLong'
    if (label && !url) errors[`${kind}Url`] = 'identity.link.url.required'
    else if (url && (url.length > LIMITS.url || !isFooterUrl(url))) errors[`${kind}Url`] = 'identity.link.url.invalid'
    if (url) links.push({ kind, label, url })
  }
  return { siteName: name, ...(texts as Record<`siteTagline${Suffix}` | `siteIntroMd${Suffix}`, string>), siteFooterLinks: links }
}

/** What the audit trail keeps of the identity: the texts (the introduction's source, not its HTML). */
function auditView(s: SiteSettings) {
  return JSON.stringify({
    name: s.siteName, tagline: s.siteTagline, intro: s.siteIntroMd, links: s.siteFooterLinks, logo: s.siteLogo?.path ?? null,
    taglineNn: s.siteTaglineNn, taglineEn: s.siteTaglineEn, introNn: s.siteIntroMdNn, introEn: s.siteIntroMdEn,
  })
}

async function audited(db: Kysely<DB>, settings: SettingsStore, actor: CurrentUser, action: string, change: () => Promise<SiteSettings>) {
  const before = auditView(await settings.get())
  const after = auditView(await change())
  if (before === after) return
  await appendAuditEvent(db, { actor: { id: actor.id, name: actor.username }, action, subjectType: 'settings', subjectId: 0, fromState: before, toState: after })
}

export async function saveIdentity(db: Kysely<DB>, settings: SettingsStore, actor: CurrentUser, raw: Partial<IdentityForm>) {
  requireAdmin(actor)
  const errors: FieldErrors = {}
  const v = validateIdentity(raw, errors)
  if (Object.keys(errors).length) throw new InvalidError(errors)
  const html = (md: string) => (md ? renderMarkdown(md, 'comment') : '')
  const rendered = { siteIntroHtml: html(v.siteIntroMd), siteIntroHtmlNn: html(v.siteIntroMdNn), siteIntroHtmlEn: html(v.siteIntroMdEn) }
  await audited(db, settings, actor, 'settings.identity', () => settings.update({ ...v, ...rendered }, actor.id))
}

export async function setLogo(db: Kysely<DB>, settings: SettingsStore, uploadsDir: string, actor: CurrentUser, file: ReceivedFile | undefined, now = new Date()) {
  requireAdmin(actor)
  if (!file) throw new InvalidError({ logo: 'uploads.image.required' })
  if (file.truncated) throw new InvalidError({ logo: 'uploads.image.tooLarge' })
  if (looksLikeSvg(file.data)) throw new InvalidError({ logo: 'identity.logo.svg' })
  let processed
  try {
    processed = await processLogo(file.data, LOGO_MAX_HEIGHT, LOGO_MAX_WIDTH)
  } catch (err) {
    if (err instanceof ImageRejectedError) throw new InvalidError({ logo: REJECTIONS[err.code] })
    throw err
  }
  const stored = await saveImage(uploadsDir, processed, { now })
  const old = (await settings.get()).siteLogo
  try {
    await audited(db, settings, actor, 'settings.logo', () => settings.update({ siteLogo: { path: stored.path, width: stored.width, height: stored.height } }, actor.id))
  } catch (err) {
    await deleteImage(uploadsDir, stored.path).catch(() => 0)
    throw err
  }
  if (old) await deleteImage(uploadsDir, old.path).catch(() => 0)
}

export async function removeLogo(db: Kysely<DB>, settings: SettingsStore, uploadsDir: string, actor: CurrentUser) {
  requireAdmin(actor)
  const old = (await settings.get()).siteLogo
  if (!old) return
  // null is stored as the JSON text "null", which reads back as no logo.
  await audited(db, settings, actor, 'settings.logo', () => settings.update({ siteLogo: null }, actor.id))
  await deleteImage(uploadsDir, old.path).catch(() => 0)
}
