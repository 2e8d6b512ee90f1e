// One e-mail as a text part and an accessible HTML part, from the same plain pieces: a heading,
// paragraphs, a list of linked items, one action link and a footer. Every piece is text: escaped here.
import { escapeHtml } from '../markdown/escape.js'
import type { Lang } from '../web/i18n/index.js'

export interface MailLink { label: string; href: string }

export interface MailContent {
  lang: Lang
  subject: string
  heading: string
  paragraphs: string[]
  items?: { text: string; href: string; meta?: string }[]
  action?: MailLink
  footer: string[]
  footerLinks: MailLink[]
}

export function renderText(c: MailContent): string {
  const out: string[] = [c.heading, '='.repeat(Math.min(70, c.heading.length)), '']
  for (const p of c.paragraphs) out.push(p, '')
  for (const i of c.items ?? []) out.push(`* ${i.text}${i.meta ? ` (${i.meta})` : ''}`, `  ${i.href}`, '')
  if (c.action) out.push(`${c.action.label}:`, c.action.href, '')
  out.push('-- ', ...c.footer)
  for (const l of c.footerLinks) out.push(`${l.label}: ${l.href}`)
  return out.join('\n') + '\n'
}

const e = escapeHtml

/** A small, linear page: real headings, a list, underlined links with their own text, high contrast. */
export function renderHtml(c: MailContent): string {
  const items = c.items?.length
    ? `<ul>\n${c.items.map((i) => `<li style="margin:0 0 12px"><a href="${e(i.href)}" style="color:#005aa0">${e(i.text)}</a>${i.meta ? `<br><span style="color:#444">${e(i.meta)}</span>` : ''}</li>`).join('\n')}\n</ul>`
    : ''
  const action = c.action ? `<p><a href="${e(c.action.href)}" style="color:#005aa0;font-weight:bold">${e(c.action.label)}</a></p>` : ''
  return `<!doctype html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(c.subject)}</title>
</head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<div role="article" aria-roledescription="email" aria-label="${e(c.subject)}" lang="${c.lang}" style="max-width:640px">
<h1 style="font-size:22px;margin:0 0 16px">${e(c.heading)}</h1>
${c.paragraphs.map((p) => `<p>${e(p)}</p>`).join('\n')}
${items}
${action}
<hr style="border:0;border-top:1px solid #767676;margin:24px 0 12px">
<footer style="font-size:14px;color:#444">
${c.footer.map((p) => `<p>${e(p)}</p>`).join('\n')}
${c.footerLinks.map((l) => `<p><a href="${e(l.href)}" style="color:#005aa0">${e(l.label)}</a></p>`).join('\n')}
</footer>
</div>
</body>
</html>
`
}
