// The one HTML policy of Betablogg. Everything stored as trusted HTML passes through here: rendered
// Markdown and HTML from the WordPress importer alike, so every rule is enforced here, not in the renderer.
import sanitize from 'sanitize-html'
import type { IFrame, IOptions, Transformer } from 'sanitize-html'
import { isEmbedProvider, isValidEmbedSrc } from './embed.js'
import { checkHref, isUploadPath } from './urls.js'
import { NON_TEXT_TAGS } from './walk.js'

export type ContentKind = 'post' | 'comment'

const EXTERNAL_REL = 'noopener noreferrer ugc'
// Heading ids are slugs ([a-z0-9-]): layout ids containing `_` or capitals can never collide with them.
const HEADING_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const ALIGN_CLASSES: Record<string, string> = { left: 'align-left', center: 'align-center', right: 'align-right' }
const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6']

const COMMON_TAGS = [
  'p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'table',
  'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'span', 'sup', 'sub', 'abbr',
]

const link: Transformer = (_tag, attribs) => {
  const safe = checkHref(attribs.href)
  if (!safe) return { tagName: 'a', attribs: {} } // unwrapped by unwrapBadLinks
  const out: Record<string, string> = { href: safe.href }
  if (attribs.title) out.title = attribs.title
  if (safe.external) out.rel = EXTERNAL_REL
  return { tagName: 'a', attribs: out }
}

const cell: Transformer = (tag, attribs) => {
  const align = ALIGN_CLASSES[attribs.align?.toLowerCase() ?? '']
  const out: Record<string, string> = {}
  if (align) out.class = align
  else if (attribs.class) out.class = attribs.class // filtered by allowedClasses
  for (const span of ['colspan', 'rowspan']) {
    const value = attribs[span]
    if (value && /^\d{1,3}$/.test(value)) out[span] = value
  }
  return { tagName: tag, attribs: out }
}

// An image from elsewhere would leak readers to a third party: show its alt text instead.
const postImage: Transformer = (_tag, attribs) => {
  const alt = attribs.alt?.trim()
  if (!isUploadPath(attribs.src)) {
    return alt ? { tagName: 'span', attribs: { class: 'missing-image' }, text: alt } : { tagName: 'img', attribs: {} }
  }
  const out: Record<string, string> = { src: attribs.src, loading: 'lazy' }
  if (attribs.alt !== undefined) out.alt = attribs.alt
  for (const size of ['width', 'height']) {
    const value = attribs[size]
    if (value && /^\d{1,5}$/.test(value)) out[size] = value
  }
  return { tagName: 'img', attribs: out }
}

// img is not allowed in comments, so an image without alt text is dropped.
const commentImage: Transformer = (_tag, attribs) => {
  const alt = attribs.alt?.trim()
  return alt ? { tagName: 'span', attribs: {}, text: alt } : { tagName: 'img', attribs: {} }
}

const postHeading: Transformer = (tag, attribs) => {
  const id = attribs.id
  const out: Record<string, string> = id && id.length <= 100 && HEADING_ID.test(id) ? { id } : {}
  return { tagName: tag === 'h1' ? 'h2' : tag, attribs: out } // the page title is the only h1
}

// Embed data attributes survive only with a known provider and an iframe URL of that provider.
const figure: Transformer = (_tag, attribs) => {
  const provider = attribs['data-embed-provider']
  if (!isEmbedProvider(provider)) return { tagName: 'figure', attribs: {} }
  const out: Record<string, string> = { class: 'embed', 'data-embed-provider': provider }
  const src = attribs['data-embed-src']
  if (src && isValidEmbedSrc(provider, src)) out['data-embed-src'] = src
  return { tagName: 'figure', attribs: out }
}

// Transforms mark what they rejected by leaving out the essential attribute; this removes it. (Renaming
// to a disallowed tag instead would trip a sanitize-html bug: the name leaks into a later closing tag.)
function unwrapBadLinks(frame: IFrame): boolean | 'excludeTag' {
  return frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : false // keeps the link text
}

function dropBadImagesAndLinks(frame: IFrame): boolean | 'excludeTag' {
  return (frame.tag === 'img' && !frame.attribs.src && !frame.attribs.class) || unwrapBadLinks(frame)
}

const BASE: IOptions = {
  disallowedTagsMode: 'discard',
  nonTextTags: NON_TEXT_TAGS,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  enforceHtmlBoundary: false,
}

const POST_OPTIONS: IOptions = {
  ...BASE,
  exclusiveFilter: dropBadImagesAndLinks,
  allowedTags: [...COMMON_TAGS, 'h2', 'h3', 'h4', 'h5', 'h6', 'img', 'figure', 'figcaption'],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    img: ['src', 'alt', 'width', 'height', 'loading'],
    h2: ['id'], h3: ['id'], h4: ['id'], h5: ['id'], h6: ['id'],
    figure: ['class', 'data-embed-provider', 'data-embed-src'],
    ol: ['start'],
    ul: ['class'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedClasses: {
    code: ['language-*'],
    figure: ['embed'],
    span: ['missing-image'],
    // Galleries brought over from WordPress: a list of figures laid out in columns.
    ul: ['gallery', 'gallery-columns-*', 'gallery-crop'],
    th: Object.values(ALIGN_CLASSES),
    td: Object.values(ALIGN_CLASSES),
  },
  transformTags: {
    a: link, img: postImage, figure, th: cell, td: cell,
    ...Object.fromEntries(HEADINGS.map((h) => [h, postHeading])),
  },
}

// Comments are short: no headings (they become paragraphs), no images (their alt text stays), no embeds.
const COMMENT_OPTIONS: IOptions = {
  ...BASE,
  exclusiveFilter: unwrapBadLinks,
  allowedTags: COMMON_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    abbr: ['title'],
    ol: ['start'],
    th: ['colspan', 'rowspan'],
    td: ['colspan', 'rowspan'],
  },
  allowedClasses: {
    code: ['language-*'],
    th: Object.values(ALIGN_CLASSES),
    td: Object.values(ALIGN_CLASSES),
  },
  transformTags: {
    a: link, img: commentImage, th: cell, td: cell,
    ...Object.fromEntries(HEADINGS.map((h) => [h, () => ({ tagName: 'p', attribs: {} })])),
  },
}

/** Returns HTML that is safe to print unescaped (`<%~`) for the given kind of content. */
export function sanitizeHtml(html: string, kind: ContentKind): string {
  return sanitize(html, kind === 'post' ? POST_OPTIONS : COMMENT_OPTIONS)
}
