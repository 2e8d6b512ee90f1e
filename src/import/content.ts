// A WordPress post body → the stored, sanitized HTML: converted by src/wordpress, images pointed at
// their imported copies (or a visible placeholder), embeds turned into our embed facades, and the
// whole passed through src/markdown's sanitizer — the same policy every post goes through.
import { plainText, renderMarkdown, sanitizeHtml } from '../markdown/index.js'
import { convertWordPressComment } from '../wordpress/comment-content.js'
import { convertWordPressHtml, type ConvertContext } from '../wordpress/convert-content.js'
import { decodeEntities, parseAttributes, startTags } from '../wordpress/html-utils.js'
import { rewriteImageSources, rewriteUploadLinks, type UploadPath } from '../wordpress/upload-refs.js'
import { withReplyContext } from './comments.js'
import type { ImportProblem, ProblemCode } from './report.js'

export interface ImageSource {
  /** Our URL for an old-site image shown (or linked) in a post, or undefined; the source reports why. */
  resolve(ref: UploadPath & { alt: string }, use: 'image' | 'link'): Promise<string | undefined>
  /** A [gallery] names an attachment the export does not hold: a missing image, reported. */
  missingAttachment(id: number): void
}

export type Report = (code: ProblemCode, detail: string) => void

const IMAGE_FILE = /\.(jpe?g|png|gif|webp)$/i
const EMBED_BLOCK = /<p data-embed="[^"]*"><a href="([^"]*)">[^<]*<\/a><\/p>/g

/** The post body as stored: sanitized HTML, safe for `<%~`. */
export async function convertPostBody(content: string, ctx: ConvertContext, images: ImageSource, report: Report): Promise<string> {
  const converted = convertWordPressHtml(content, ctx)
  for (const p of converted.problems) report(p.code, p.detail)
  for (const id of converted.missingAttachments) images.missingAttachment(id)

  const imageUrls = new Map<string, string | undefined>()
  for (const ref of converted.imageRefs) imageUrls.set(ref.src, await images.resolve(ref, 'image'))
  const linkUrls = new Map<string, string | undefined>()
  for (const ref of converted.linkRefs) {
    if (!IMAGE_FILE.test(ref.uploadPath)) {
      report('linked-file', `${ref.href} is not an image and was not copied; the link still points at the old site`)
      continue
    }
    linkUrls.set(ref.href, await images.resolve({ ...ref, alt: '' }, 'link'))
  }

  let html = rewriteImageSources(converted.html, ctx, (ref) => {
    const url = imageUrls.get(ref.src)
    return url ?? { missing: true, alt: ref.alt }
  })
  html = rewriteUploadLinks(html, ctx, (ref) => linkUrls.get(ref.href))
  reportExternalImages(html, report)
  html = html.replace(EMBED_BLOCK, (_whole, href: string) => embedHtml(decodeEntities(href), report))
  return sanitizeHtml(html, 'post')
}

/** Our embed facade for a provider URL, made by the Markdown renderer as for a URL alone on a line. */
function embedHtml(url: string, report: Report): string {
  const html = renderMarkdown(`<${url}>`, 'post').trim()
  if (!html.includes('<figure')) report('embed-as-link', `${url} is not from a provider we embed; it is kept as a link`)
  return html
}

function reportExternalImages(html: string, report: Report): void {
  for (const [tag] of html.matchAll(startTags('img'))) {
    const src = parseAttributes(tag).get('src') ?? ''
    if (!src.startsWith('/uploads/')) report('external-image', `${src.slice(0, 200) || '(no src)'} is not an uploaded image of the old site; shown as its alt text`)
  }
}

/** A WordPress excerpt or title (HTML in WordPress) as plain text. */
export function textOf(html: string): string {
  return plainText(html)
}

/** The lead as written in WordPress's excerpt field: plain text, '' when there was none. */
export function leadFromExcerpt(excerpt: string): string {
  return excerpt.trim() ? plainText(sanitizeHtml(convertWordPressComment(excerpt), 'comment')) : ''
}

/** A comment body as stored: sanitized HTML ('comment' policy), safe for `<%~`; "@Name" first for a deep reply. */
export function convertCommentBody(content: string, replyTo?: string): string {
  return sanitizeHtml(withReplyContext(convertWordPressComment(content), replyTo), 'comment').trim()
}

export function problemAt(where: string, problems: ImportProblem[]): Report {
  return (code, detail) => problems.push({ where, code, detail })
}
