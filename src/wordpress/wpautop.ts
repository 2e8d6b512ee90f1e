// A port of WordPress's wpautop() (wp-includes/formatting.php): classic-editor posts are stored
// without <p>; WordPress adds them on every page view. Blank lines become paragraphs, single
// newlines <br />, except inside <pre>, <script>/<style> and between block-level tags.

const ALL_BLOCKS = '(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)'
const OPEN_BLOCK = new RegExp(`(<${ALL_BLOCKS}[\\s/>])`, 'g')
const CLOSE_BLOCK = new RegExp(`(</${ALL_BLOCKS}>)`, 'g')
const P_AROUND_BLOCK = new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g')
const P_BEFORE_BLOCK = new RegExp(`<p>\\s*(</?${ALL_BLOCKS}[^>]*>)`, 'g')
const P_AFTER_BLOCK = new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*</p>`, 'g')
const BR_AFTER_BLOCK = new RegExp(`(</?${ALL_BLOCKS}[^>]*>)\\s*<br />`, 'g')

/** Swaps each <pre>…</pre> for a placeholder, as WordPress does, so autop never touches it. */
function protectPre(text: string): { text: string; pres: Map<string, string> } {
  const pres = new Map<string, string>()
  if (!text.includes('<pre')) return { text, pres }
  const parts = text.split('</pre>')
  const last = parts.pop()!
  let out = ''
  for (const part of parts) {
    const start = part.indexOf('<pre')
    if (start === -1) { out += part; continue } // malformed: a stray </pre> is dropped, like WordPress
    const name = `<pre wp-pre-tag-${pres.size}></pre>`
    pres.set(name, `${part.slice(start)}</pre>`)
    out += part.slice(0, start) + name
  }
  return { text: out + last, pres }
}

/** Newlines inside tags and comments (`<a\nhref>`) are not line breaks: mark them. */
function markNewlinesInTags(text: string): string {
  return text.replace(/<!--[\s\S]*?-->|<[^>]*>/g, (tag) => tag.replaceAll('\n', ' <!-- wpnl --> '))
}

function collapseSpecialBlocks(text: string): string {
  if (text.includes('<option')) text = text.replace(/\s*<option/g, '<option').replace(/<\/option>\s*/g, '</option>')
  if (text.includes('</object>')) {
    text = text.replace(/(<object[^>]*>)\s*/g, '$1').replace(/\s*<\/object>/g, '</object>')
      .replace(/\s*(<\/?(?:param|embed)[^>]*>)\s*/g, '$1')
  }
  if (text.includes('<source') || text.includes('<track')) {
    text = text.replace(/([<[](?:audio|video)[^>\]]*[>\]])\s*/g, '$1').replace(/\s*([<[]\/(?:audio|video)[>\]])/g, '$1')
      .replace(/\s*(<(?:source|track)[^>]*>)\s*/g, '$1')
  }
  if (text.includes('<figcaption')) {
    text = text.replace(/\s*(<figcaption[^>]*>)/g, '$1').replace(/<\/figcaption>\s*/g, '</figcaption>')
  }
  return text
}

function wrapParagraphs(text: string): string {
  const paragraphs = text.replace(/\n\n+/g, '\n\n').split(/\n\s*\n/).filter((p) => p !== '')
  return paragraphs.map((p) => `<p>${p.replace(/^\n+|\n+$/g, '')}</p>\n`).join('')
}

function fixBlockParagraphs(text: string): string {
  return text
    .replace(/<p>\s*<\/p>/g, '')
    .replace(/<p>([^<]+)<\/(div|address|form)>/g, '<p>$1</p></$2>')
    .replace(P_AROUND_BLOCK, '$1')
    .replace(/<p>(<li.+?)<\/p>/g, '$1')
    .replace(/<p><blockquote([^>]*)>/gi, '<blockquote$1><p>')
    .replaceAll('</blockquote></p>', '</p></blockquote>')
    .replace(P_BEFORE_BLOCK, '$1')
    .replace(P_AFTER_BLOCK, '$1')
}

function addLineBreaks(text: string): string {
  return text
    .replace(/<(script|style|svg|math)[\s\S]*?<\/\1>/g, (m) => m.replaceAll('\n', '<WPPreserveNewline />'))
    .replace(/<br>|<br\/>/g, '<br />')
    .replace(/(?<!<br \/>)\s*\n/g, '<br />\n')
    .replaceAll('<WPPreserveNewline />', '\n')
}

export function wpautop(input: string): string {
  if (input.trim() === '') return ''
  const { text: protectedText, pres } = protectPre(`${input}\n`)
  let text = protectedText
    .replace(/<br\s*\/?>\s*<br\s*\/?>/g, '\n\n')
    .replace(OPEN_BLOCK, '\n\n$1')
    .replace(CLOSE_BLOCK, '$1\n\n')
    .replace(/(<hr\s*?\/?>)/g, '$1\n\n')
    .replace(/\r\n?/g, '\n')
  text = collapseSpecialBlocks(markNewlinesInTags(text))
  text = addLineBreaks(fixBlockParagraphs(wrapParagraphs(text)))
    .replace(BR_AFTER_BLOCK, '$1')
    .replace(/<br \/>(\s*<\/?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)/g, '$1')
    .replace(/\n<\/p>$/, '</p>')
  for (const [name, pre] of pres) text = text.replace(name, () => pre)
  return text.replace(/ <!-- wpnl --> |<!-- wpnl -->/g, '\n')
}
