// The first pass over an export: reads the whole file once (so a broken file fails before anything
// is written), hashes it for the audit trail, and keeps the little the second pass needs up front —
// the authors, the terms and the attachments (a post's featured image may come later in the file).
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { parseWxr } from '../wordpress/parse-wxr.js'
import { uploadBasesOf, uploadPathOf, type UploadContext } from '../wordpress/upload-refs.js'
import type { GalleryAttachment } from '../wordpress/gallery.js'
import { WxrError, type WxrAuthor, type WxrChannel, type WxrTerm } from '../wordpress/wxr-types.js'

/** An attachment as the gallery shortcode needs it, and what the import needs besides. */
export interface AttachmentInfo extends GalleryAttachment {
  /** Below wp-content/uploads/ ('2009/05/bybrua.jpg'), when known. */
  uploadPath: string | undefined
  /** The attachment's old page (<link>), which redirects to the copy. */
  link: string
}

export interface ExportScan {
  file: string
  fileName: string
  sha256: string
  channel: WxrChannel
  /** The old site's addresses: base site URL, blog URL and channel link. */
  siteUrls: string[]
  /** What counts as the blog's own files: its addresses and its upload host (uploadBasesOf). */
  uploads: UploadContext
  /** The old site as a key for the import map: host and path, no scheme, no www ('betatrondheim.no'). */
  source: string
  /** Authors from the channel, plus any dc:creator an item names that the channel does not list. */
  authors: WxrAuthor[]
  terms: WxrTerm[]
  attachments: Map<number, AttachmentInfo>
  /** Items per post type: { post: 120, page: 4, attachment: 300 }. */
  items: Record<string, number>
  comments: number
}

/** The file's bytes, hashed on the way through. */
async function* hashed(file: string, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Buffer)
      yield chunk as Buffer
    }
  } catch (err) {
    if (err instanceof WxrError) throw err
    throw new WxrError('io', `Cannot read ${file}: ${(err as Error).message}`)
  }
}

export function sourceKey(url: string): string {
  try {
    const u = new URL(url)
    return (u.host.replace(/^www\./, '') + u.pathname.replace(/\/+$/, '')).toLowerCase()
  } catch {
    return url.trim().toLowerCase().replace(/\/+$/, '')
  }
}

/** Reads the whole export; throws WxrError (with a line number where possible) if it cannot be imported. */
export async function scanExport(file: string): Promise<ExportScan> {
  const hash = createHash('sha256')
  let channel: WxrChannel | undefined
  const authors: WxrAuthor[] = []
  const creators = new Set<string>()
  const terms: WxrTerm[] = []
  const attachments = new Map<number, AttachmentInfo>()
  const items: Record<string, number> = {}
  let comments = 0
  let siteUrls: string[] = []

  for await (const event of parseWxr(hashed(file, hash))) {
    if (event.kind === 'channel') {
      channel = event.channel
      siteUrls = [...new Set([channel.baseSiteUrl, channel.baseBlogUrl, channel.link].filter(Boolean))]
    } else if (event.kind === 'author') authors.push(event.author)
    else if (event.kind === 'term') terms.push(event.term)
    else {
      const { item } = event
      items[item.postType] = (items[item.postType] ?? 0) + 1
      comments += item.comments.length
      if (item.creator) creators.add(item.creator)
      if (item.postType === 'attachment') {
        const meta = (key: string) => item.meta.find((m) => m.key === key)?.value.trim()
        attachments.set(item.postId, {
          id: item.postId, uploadPath: safeRelative(meta('_wp_attached_file')), url: item.attachmentUrl ?? '',
          alt: meta('_wp_attachment_image_alt') ?? '', caption: item.excerpt.trim(), title: item.title,
          parentId: item.parentId, menuOrder: item.menuOrder, link: item.link,
        })
      }
    }
  }
  if (!channel) throw new WxrError('not-wxr', 'Not a WordPress export: no <channel> element')
  // The upload host is known only once every attachment is read; then paths can be taken from URLs.
  const uploadBases = uploadBasesOf([...attachments.values()].map((a) => ({ url: a.url, file: a.uploadPath })), siteUrls)
  const uploads: UploadContext = { siteUrls, uploadBases }
  for (const a of attachments.values()) a.uploadPath ??= a.url ? uploadPathOf(a.url, uploads)?.uploadPath : undefined

  const known = new Set(authors.map((a) => a.login.toLowerCase()))
  for (const login of creators) {
    if (!known.has(login.toLowerCase())) {
      authors.push({ id: undefined, login, email: '', displayName: login, firstName: '', lastName: '' })
      known.add(login.toLowerCase())
    }
  }
  return {
    file, fileName: path.basename(file), sha256: hash.digest('hex'), channel, siteUrls, uploads,
    source: sourceKey(channel.baseSiteUrl || channel.baseBlogUrl || channel.link || path.basename(file)),
    authors, terms, attachments, items, comments,
  }
}

/** A _wp_attached_file value, if it is a plain relative path that stays inside the uploads folder. */
function safeRelative(p: string | undefined): string | undefined {
  if (!p || /[\\\0]/.test(p) || p.startsWith('/')) return undefined
  return p.split('/').some((s) => s === '' || s === '.' || s === '..') ? undefined : p
}
