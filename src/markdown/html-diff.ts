// Changes marked in a rendered post: the new version's HTML with <ins> around words that are new and
// <del> around words that were removed, each with a hidden label so the change is not told by colour or
// strike-through alone. Both inputs are HTML made by this module (renderMarkdown/sanitizeHtml); the
// result is the new version's tokens in order, the old version's text, and our own <ins>/<del>, so it is
// as safe to print (`<%~`) as its inputs. Tags are never wrapped, so the markup stays well-formed.
import { diffArrays } from 'diff'

const TOKENS = /<[^>]*>|[^<\s]+|\s+/g
// Elements whose children may not be text: removed words wait for the next place that can hold them.
const NO_TEXT = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr'])
const VOID = new Set(['br', 'hr', 'img', 'wbr', 'col'])
// Very different versions are slow to compare and unreadable marked up: the caller shows the text diff.
const MAX_EDITS = 600
const TIMEOUT_MS = 250

export interface ChangeLabels { added: string; removed: string }

const isTag = (t: string) => t.startsWith('<')
const tagName = (t: string) => /^<\/?([a-z0-9]+)/i.exec(t)?.[1]?.toLowerCase() ?? ''
const escapeLabel = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The new HTML with the changes from `before` marked; undefined when there are too many to mark. */
export function markChanges(before: string, after: string, labels: ChangeLabels): string | undefined {
  const parts = diffArrays(before.match(TOKENS) ?? [], after.match(TOKENS) ?? [], { maxEditLength: MAX_EDITS, timeout: TIMEOUT_MS })
  if (!parts) return undefined
  const ins = `<ins><span class="visually-hidden">${escapeLabel(labels.added)} </span>`
  const del = `<del><span class="visually-hidden">${escapeLabel(labels.removed)} </span>`
  const open: string[] = []
  let out = ''
  let removed = ''
  let added = ''
  const textAllowed = () => !NO_TEXT.has(open[open.length - 1] ?? '')
  const flushRemoved = () => {
    if (!removed.trim() || !textAllowed()) return
    const marked = `${del}${removed.trim()}</del>`
    out += open.length ? `${marked}${/\s$/.test(removed) ? ' ' : ''}` : `<p>${marked}</p>\n` // a removed paragraph
    removed = ''
  }
  const flushAdded = () => {
    if (added.trim()) out += `${ins}${added}</ins>`
    else out += added
    added = ''
  }
  for (const part of parts) {
    for (const token of part.value) {
      if (part.removed) {
        // Text only: the old markup is gone; a removed image is named by its alt text.
        if (!isTag(token)) removed += token
        else if (tagName(token) === 'img') removed += ` ${/alt="([^"]*)"/.exec(token)?.[1] ?? ''} `
        continue
      }
      if (isTag(token)) {
        flushAdded()
        if (textAllowed()) flushRemoved()
        const name = tagName(token)
        if (part.added && name === 'img' && textAllowed()) out += `${ins}${token}</ins>`
        else out += token
        if (token.startsWith('</')) open.pop()
        else if (!VOID.has(name) && !token.endsWith('/>')) open.push(name)
        continue
      }
      flushRemoved()
      if (part.added) added += token
      else out += token
    }
    flushAdded()
  }
  flushRemoved()
  return out
}
