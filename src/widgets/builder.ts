// The code an administrator pastes into the intranet or the LMS for a chosen widget.
import { escapeHtml } from '../markdown/escape.js'

export interface BuilderChoice { kind: 'posts' | 'tag' | 'author' | 'updates'; tag: string; author: string; limit: number }

/** The widget's address (absolute), or undefined while the choice is incomplete (a tag or author missing). */
export function widgetUrl(baseUrl: string, c: BuilderChoice, key?: string): string | undefined {
  const url = new URL(c.kind === 'updates' ? '/widgets/updates' : '/widgets/posts', baseUrl)
  if (c.kind === 'tag') {
    if (!c.tag) return undefined
    url.searchParams.set('tag', c.tag)
  }
  if (c.kind === 'author') {
    if (!c.author) return undefined
    url.searchParams.set('author', c.author)
  }
  url.searchParams.set('limit', String(c.limit))
  if (key) url.searchParams.set('key', key)
  return url.href
}

export function embedCode(baseUrl: string, c: BuilderChoice, title: string, key?: string): { url: string; preview: string; html: string } | undefined {
  const url = widgetUrl(baseUrl, c, key)
  if (!url) return undefined
  const { pathname, search } = new URL(url)
  const height = 90 + c.limit * 70
  // The preview on the administration page is framed from wherever the page itself was reached.
  return { url, preview: pathname + search, html: `<iframe src="${escapeHtml(url)}" title="${escapeHtml(title)}" width="100%" height="${height}" loading="lazy" style="border:0;max-width:40rem"></iframe>` }
}
