// [gallery] → a list of figures, made from the export's attachments the way gallery_shortcode() picked
// them: the `ids` (or `include`) in that order, else the images attached to the post (`id`, default
// the post itself) by menu order, minus `exclude`. Each image keeps its alt text (the attachment's
// alt meta) and its caption (the attachment's excerpt). Output is NOT trusted: it goes through the
// importer's image rewriting and the sanitizer like any post HTML.
import { decodeEntities, escapeHtml } from './html-utils.js'

export interface GalleryAttachment {
  id: number
  /** wp:attachment_url as written, the full-size file ('' when missing). */
  url: string
  /** _wp_attachment_image_alt. */
  alt: string
  /** The attachment's excerpt, which WordPress shows as the caption (HTML, not trusted). */
  caption: string
  title: string
  /** The post it was uploaded to (0: none): a [gallery] without ids shows its post's attachments. */
  parentId: number
  menuOrder: number
}

export interface GalleryContext {
  attachments: ReadonlyMap<number, GalleryAttachment>
  /** The WordPress id of the post being converted. */
  postId: number
}

export interface Gallery {
  /** '' when the gallery has no images. */
  html: string
  /** Attachment ids the shortcode names that the export does not hold. */
  missing: number[]
}

// WordPress galleries show images only (post_mime_type image/*); the export has no MIME type, the file name tells.
const IMAGE_FILE = /\.(jpe?g|png|gif|webp|avif|bmp|tiff?|heic)$/i
const isImage = (a: GalleryAttachment) => IMAGE_FILE.test(a.url.replace(/[?#].*$/, ''))

const idList = (value: string | undefined) =>
  (value ?? '').split(/[\s,]+/).filter((s) => /^\d+$/.test(s)).map(Number)

const plain = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim()

/** The attachments a gallery shows, in its order, and the ids it names that are not in the export. */
function pick(attrs: ReadonlyMap<string, string>, ctx: GalleryContext): { shown: GalleryAttachment[]; missing: number[] } {
  const include = idList(attrs.get('ids') ?? attrs.get('include'))
  const missing: number[] = []
  let shown: GalleryAttachment[]
  if (include.length) {
    shown = []
    for (const id of include) {
      const a = ctx.attachments.get(id)
      if (!a) missing.push(id)
      else if (!shown.includes(a)) shown.push(a)
    }
    // ids keep their written order unless another order is asked for, as in WordPress (orderby=post__in).
    if (attrs.has('orderby') && attrs.get('orderby') !== 'post__in') shown.sort(byMenuOrder)
  } else {
    const parent = Number(attrs.get('id') ?? ctx.postId) || ctx.postId
    const exclude = new Set(idList(attrs.get('exclude')))
    shown = [...ctx.attachments.values()].filter((a) => a.parentId === parent && !exclude.has(a.id)).sort(byMenuOrder)
  }
  shown = shown.filter(isImage)
  if (attrs.get('order')?.toUpperCase() === 'DESC') shown.reverse()
  return { shown, missing }
}

function byMenuOrder(a: GalleryAttachment, b: GalleryAttachment): number {
  return a.menuOrder - b.menuOrder || a.id - b.id
}

/**
 * One figure per image: the caption as figcaption, the alt text from the alt meta (else the caption's
 * text, else the title, so a linked image always names its link). `link="none"` leaves the image
 * unlinked; otherwise it links to the full-size file (there are no attachment pages here).
 */
function figure(a: GalleryAttachment, linked: boolean): string {
  const caption = a.caption.trim()
  const alt = a.alt.trim() || plain(caption) || plain(a.title)
  const src = escapeHtml(a.url)
  const img = `<img src="${src}" alt="${escapeHtml(alt)}">`
  return `<li><figure>${linked ? `<a href="${src}">${img}</a>` : img}${caption ? `<figcaption>${caption}</figcaption>` : ''}</figure></li>`
}

/**
 * The gallery as `<ul class="gallery gallery-columns-N [gallery-crop]">`: columns as asked (1–9,
 * default 3); size=thumbnail (the default) showed cropped squares, so those tiles are cropped too.
 * Any other size shows whole images. The file is always the full-size original (the importer copies
 * it once and the browser scales it).
 */
export function renderGallery(attrs: ReadonlyMap<string, string>, ctx: GalleryContext): Gallery {
  const { shown, missing } = pick(attrs, ctx)
  if (!shown.length) return { html: '', missing }
  const columns = Number.parseInt(attrs.get('columns') ?? '3', 10)
  const classes = ['gallery']
  if (columns >= 1 && columns <= 9) classes.push(`gallery-columns-${columns}`)
  if ((attrs.get('size') ?? 'thumbnail').toLowerCase() === 'thumbnail') classes.push('gallery-crop')
  const linked = (attrs.get('link') ?? '').toLowerCase() !== 'none'
  return { html: `<ul class="${classes.join(' ')}">${shown.map((a) => figure(a, linked)).join('')}</ul>`, missing }
}
