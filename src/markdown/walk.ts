// A read-only walk over HTML, for the text helpers and the pre-publish checks. It reuses
// sanitize-html's parser (htmlparser2) through its hooks instead of depending on the parser directly.
import sanitize from 'sanitize-html'

export interface HtmlVisitor {
  open?(name: string, attribs: Record<string, string>): void
  close?(name: string): void
  /** Decoded text; never the content of script, style and the like. */
  text?(text: string): void
}

// Elements whose content is not reader-visible text.
export const NON_TEXT_TAGS = [
  'script', 'style', 'textarea', 'option', 'select', 'xmp', 'noscript', 'noembed', 'noframes',
  'iframe', 'object', 'embed', 'template', 'title', 'head', 'svg', 'math', 'plaintext',
]

const DECODE: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' }

export function walkHtml(html: string, visitor: HtmlVisitor): void {
  sanitize(html, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: NON_TEXT_TAGS,
    onOpenTag: (name, attribs) => visitor.open?.(name, attribs),
    onCloseTag: (name) => visitor.close?.(name),
    // sanitize-html hands text over re-escaped (only these four entities); undo that.
    textFilter: (text) => {
      visitor.text?.(text.replace(/&(?:lt|gt|quot|amp);/g, (e) => DECODE[e] ?? e))
      return ''
    },
  })
}
