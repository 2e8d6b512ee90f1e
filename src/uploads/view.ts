// Uploaded images as templates need them: URLs, a srcset, and the snippet an author pastes into a
// post body (one line of Markdown; with a credit line it renders as a figure with a caption).
import { UPLOADS_URL_PREFIX } from './storage.js'
import type { UploadRow } from './queries.js'

export interface ImageView {
  id: number
  url: string
  width: number
  height: number
  alt: string
  credit: string
  srcset: string
  snippet: string
  createdAt: string
}

interface Variant { width: number; height: number; path: string }

function variantsOf(row: UploadRow): Variant[] {
  try {
    const parsed: unknown = JSON.parse(row.variants)
    return Array.isArray(parsed) ? (parsed as Variant[]).filter((v) => typeof v?.path === 'string' && Number.isInteger(v.width)) : []
  } catch {
    return []
  }
}

/**
 * The line an author puts in a post: `![alt](url)`, or with a credit `![alt](url "credit")`, which the
 * renderer makes a <figure> with the credit as <figcaption> (src/markdown/render.ts). No HTML to type.
 */
export function imageSnippet(url: string, alt: string, credit: string): string {
  const text = alt.replace(/\s+/g, ' ').replace(/[\\[\]]/g, (c) => `\\${c}`)
  const caption = credit.replace(/\s+/g, ' ').trim().replace(/[\\"]/g, (c) => `\\${c}`)
  return caption ? `![${text}](${url} "${caption}")` : `![${text}](${url})`
}

export function imageView(row: UploadRow): ImageView {
  const url = UPLOADS_URL_PREFIX + row.path
  const srcset = [...variantsOf(row).map((v) => `${UPLOADS_URL_PREFIX}${v.path} ${v.width}w`), `${url} ${row.width}w`].join(', ')
  return {
    id: row.id, url, width: row.width, height: row.height, alt: row.alt, credit: row.credit, srcset,
    snippet: imageSnippet(url, row.alt, row.credit), createdAt: row.created_at,
  }
}
