// WordPress comment text → plain HTML for the app's sanitizer. WordPress stores comments as typed
// (plain text with a few tags) and on display runs wpautop and make_clickable over them; shortcodes
// and auto-embeds are not applied to comments. The output is NOT safe to print: the importer pipes it
// through src/markdown's sanitizer ('comment' policy).
import { escapeHtml, safeHttpUrl } from './html-utils.js'
import { wpautop } from './wpautop.js'

// A bare URL in text; trailing punctuation belongs to the sentence, as in make_clickable().
const BARE_URL = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi
const TRAILING = /[.,;:!?)\]'»”]+$/

function linkify(text: string): string {
  return text.replace(BARE_URL, (match) => {
    const url = match.replace(TRAILING, '')
    const rest = match.slice(url.length)
    const href = safeHttpUrl(url.startsWith('www.') ? `http://${url}` : url)
    return href ? `<a href="${escapeHtml(href)}">${url}</a>${rest}` : match
  })
}

/** make_clickable(): bare URLs in text become links, except inside <a> and <pre>/<code>. */
export function makeClickable(html: string): string {
  let inside = 0
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)(a|pre|code)\b/i.exec(part)
      if (tag) inside = Math.max(0, inside + (tag[1] ? -1 : 1))
      if (part.startsWith('<') || inside > 0) return part
      return linkify(part)
    })
    .join('')
}

/** The comment as HTML paragraphs with links, the way WordPress showed it. */
export function convertWordPressComment(content: string): string {
  const text = content.replace(/\r\n?/g, '\n').trim()
  if (!text) return ''
  return makeClickable(wpautop(text)).trim()
}
