// WordPress post HTML → plain HTML for the app's sanitizer. Does what WordPress did on every page
// view (auto-paragraphs, shortcodes, auto-embeds) once, at import. The output is NOT safe to print:
// the importer must still pipe it through src/markdown's sanitizer.
import { listEmbeds, replaceBlockEmbeds, replaceOwnLineUrls, replacePlayers, unwrapEmbedBlocks } from './embeds.js'
import type { Problem } from './problems.js'
import { renderGallery, type GalleryContext } from './gallery.js'
import { placeBlocks, replaceEmbedShortcodes, replaceShortcodes, stripBlockMarks, type GalleryRenderer } from './shortcodes.js'
import { findImageRefs, findLinkRefs, type ImageRef, type LinkRef, type UploadContext } from './upload-refs.js'
import { wpautop } from './wpautop.js'

export type { Problem, ProblemCode } from './problems.js'

export interface ConvertContext extends UploadContext {
  /** The export's attachments and the post's id, for [gallery]; without them a gallery has no images. */
  gallery?: GalleryContext
}

export interface ConvertedHtml {
  html: string
  problems: Problem[]
  /** Old-site images, once per src, in document order. */
  imageRefs: ImageRef[]
  /** Old-site files linked with <a href> (PDFs, full-size images), once per href. */
  linkRefs: LinkRef[]
  /** URLs of the embed blocks (`<p data-embed>`), in document order. */
  embeds: string[]
  /** Attachment ids a [gallery] names that the export does not hold, once each. */
  missingAttachments: number[]
  /** Present when the post has <!--more-->: the teaser, converted on its own, for use as an excerpt. */
  more?: { teaserHtml: string; sourceOffset: number }
}

const MORE = /<!--more(.*?)?-->/
const BLOCK_COMMENT = /<!--\s+\/?wp:[\s\S]*?-->/g

function transform(source: string, problems: Problem[], gallery?: GalleryRenderer): string {
  // Block-editor posts carry their own <p>; WordPress skips wpautop for them, and so do we.
  const isBlocks = /<!--\s+wp:/.test(source)
  let html = stripBlockMarks(source).replace(BLOCK_COMMENT, '').replace(/<!--noteaser-->/g, '')
  if (html.includes('<!--nextpage-->')) {
    problems.push({ code: 'page-break', detail: '<!--nextpage--> removed: the pages are joined into one' })
    html = html.replace(/<!--nextpage-->/g, '\n\n')
  }
  // WordPress's order: embeds, then auto-paragraphs, then the other shortcodes.
  html = replaceEmbedShortcodes(replacePlayers(replaceBlockEmbeds(html), problems))
  html = unwrapEmbedBlocks(replaceOwnLineUrls(html))
  if (!isBlocks) html = wpautop(html)
  html = placeBlocks(replaceShortcodes(html, problems, gallery))
  return unwrapEmbedBlocks(html).trim()
}

export function convertWordPressHtml(content: string, ctx: ConvertContext): ConvertedHtml {
  const source = content.replace(/\r\n?/g, '\n')
  const problems: Problem[] = []
  const more = MORE.exec(source)
  const missing = new Set<number>()
  const gallery: GalleryRenderer = (attrs) => {
    const g = renderGallery(attrs, ctx.gallery ?? { attachments: new Map(), postId: 0 })
    for (const id of g.missing) missing.add(id)
    if (!g.html) problems.push({ code: 'empty-gallery', detail: `[gallery${[...attrs].map(([k, v]) => ` ${k}="${v}"`).join('')}] has no images in the export: removed` })
    return g.html
  }
  const html = transform(more ? source.replace(new RegExp(MORE.source, 'g'), '') : source, problems, gallery)
  const result: ConvertedHtml = {
    html,
    problems,
    imageRefs: findImageRefs(html, ctx),
    linkRefs: findLinkRefs(html, ctx),
    embeds: listEmbeds(html),
    missingAttachments: [...missing],
  }
  if (more) result.more = { teaserHtml: transform(source.slice(0, more.index), [], gallery), sourceOffset: more.index }
  return result
}
