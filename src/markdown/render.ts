import { Marked } from 'marked'
import type { RendererObject, Token, Tokens } from 'marked'
import { slugify, uniqueSlug } from '../posts/slug.js'
import { embedFacadeHtml, embedFromUrl } from './embed.js'
import { escapeHtml, escapeMarkdownText } from './escape.js'
import { isTooDeep } from './nesting.js'
import { sanitizeHtml } from './sanitize.js'
import type { ContentKind } from './sanitize.js'
import { plainText } from './text.js'

/**
 * Markdown (GFM) → sanitized HTML, safe to print unescaped (`<%~`). Never throws: a text nested too
 * deeply to parse (forms refuse it, see nesting.ts) is shown as plain paragraphs.
 */
export function renderMarkdown(source: string, kind: ContentKind): string {
  if (isTooDeep(source)) return plainParagraphs(source)
  const renderer = kind === 'post' ? postRenderer() : commentRenderer()
  // Comments are typed by people who do not know Markdown: a line break means a line break.
  const marked = new Marked({ gfm: true, breaks: kind === 'comment', renderer })
  let html: string
  try {
    html = marked.parse(source, { async: false })
  } catch (err) {
    if (err instanceof RangeError) return plainParagraphs(source) // the stack, despite the check above
    throw err
  }
  return sanitizeHtml(html, kind)
}

function plainParagraphs(source: string): string {
  return source.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`).join('\n')
}

// A fresh renderer per document: heading ids are unique within it.
function postRenderer(): RendererObject {
  const ids = new Set<string>()
  return {
    heading({ tokens, depth }) {
      const inner = this.parser.parseInline(tokens)
      const level = Math.max(2, depth) // the page title is the only h1
      const id = uniqueSlug(slugify(plainText(inner), 'avsnitt'), (s) => ids.has(s))
      ids.add(id)
      return `<h${level} id="${id}">${inner}</h${level}>\n`
    },
    paragraph({ tokens }) {
      const image = loneImage(tokens)
      if (image) return figureHtml(this.parser.parseInline([image]), image.title)
      const url = loneUrl(tokens)
      const embed = url === undefined ? undefined : embedFromUrl(url)
      return embed ? embedFacadeHtml(embed) : false
    },
    checkbox: ({ checked }) => (checked ? '☑ ' : '☐ '),
  }
}

function commentRenderer(): RendererObject {
  return {
    heading({ tokens }) {
      return `<p><strong>${this.parser.parseInline(tokens)}</strong></p>\n`
    },
    image({ tokens }) {
      return escapeMarkdownText(this.parser.parseInline(tokens, this.parser.textRenderer)) // the alt text
    },
    checkbox: ({ checked }) => (checked ? '☑ ' : '☐ '),
  }
}

// The figure form of an image: `![alt](/uploads/… "Foto: Kari Nordmann, CC BY")` alone in its paragraph
// is a figure, its title the caption (credit and licence). Without a title it stays a plain image.
function loneImage(tokens: Token[]): Tokens.Image | undefined {
  const [only, ...rest] = tokens.filter((t) => !(t.type === 'text' && !t.raw.trim()))
  return only?.type === 'image' && rest.length === 0 && only.title?.trim() ? (only as Tokens.Image) : undefined
}

function figureHtml(img: string, caption: string | null): string {
  return `<figure>${img}<figcaption>${escapeMarkdownText(caption?.trim() ?? '')}</figcaption></figure>\n`
}

// The URL of a paragraph that is nothing but a link showing its own URL (a pasted URL or <autolink>).
function loneUrl(tokens: Token[]): string | undefined {
  const [only, ...rest] = tokens
  if (!only || rest.length > 0 || only.type !== 'link') return undefined
  const shown = only.raw.replace(/^<(.*)>$/s, '$1')
  return shown === only.href || only.text === only.href ? only.href : undefined
}
