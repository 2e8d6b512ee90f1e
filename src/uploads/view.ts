// Uploaded images as templates need them: URLs, a srcset, and the snippet an author pastes into a
// post body (Markdown, or a <figure> with a caption when the image has a credit line).
import { escapeHtml } from '../markdown/escape.js'
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

export function imageSnippet(url: string, alt: string, credit: string, width: number, height: number): string {
  if (!credit) return `![${alt.replace(/[\\[\]]/g, (c) => `\\${c}`)}](${url})`
  return `<figure><img src="${url}" alt="${escapeHtml(alt)}" width="${width}" height="${height}"><figcaption>${escapeHtml(credit)}</figcaption></figure>`
}

export function imageView(row: UploadRow): ImageView {
  const url = UPLOADS_URL_PREFIX + row.path
  const srcset = [...variantsOf(row).map((v) => `${UPLOADS_URL_PREFIX}${v.path} ${v.width}w`), `${url} ${row.width}w`].join(', ')
  return {
    id: row.id, url, width: row.width, height: row.height, alt: row.alt, credit: row.credit, srcset,
    snippet: imageSnippet(url, row.alt, row.credit, row.width, row.height), createdAt: row.created_at,
  }
}
