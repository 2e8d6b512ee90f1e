// A blog post's content rules, pure: what a valid title, lead, body, slug and tag list are, and the
// content hash of a revision. The service applies them; the tests call them directly.
import { createHash } from 'node:crypto'
import type { FieldErrors } from '../errors.js'
import { MAX_SLUG_LENGTH, parseTags } from './slug.js'
import { isTooDeep } from '../markdown/nesting.js'

export const MAX_TITLE = 200
export const MAX_LEAD = 600
export const MAX_BODY = 100_000
/** Slugs that name pages of their own under /posts/. */
export const RESERVED_SLUGS = new Set(['new', 'preview'])
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** What the editor form sends, as typed. */
export interface PostInput {
  title: string
  lead: string
  body: string
  tags: string
  /** Empty: made from the title. Ignored where the slug cannot be changed. */
  slug?: string
  coverUploadId: number | null
}

/** A revision's content, normalised. */
export interface PostContent {
  title: string
  lead: string
  bodyMd: string
  tags: string[]
  slug?: string
  coverUploadId: number | null
}

export function cleanLine(s: string | undefined): string {
  return (s ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim()
}

export function cleanText(s: string | undefined): string {
  // Keep newlines and tabs; drop other control characters; one newline convention.
  return (s ?? '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
}

/** Normalises the form input; every problem is reported at once, by field. */
export function validatePostInput(input: PostInput): { content: PostContent; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const title = cleanLine(input.title)
  const lead = cleanLine(input.lead)
  const bodyMd = cleanText(input.body).replace(/\s+$/, '')
  const slug = (input.slug ?? '').trim().toLowerCase()
  const { tags, invalid } = parseTags(input.tags ?? '')

  if (!title) errors.title = 'posts.title.required'
  else if ([...title].length > MAX_TITLE) errors.title = 'posts.title.tooLong'
  if ([...lead].length > MAX_LEAD) errors.lead = 'posts.lead.tooLong'
  if (bodyMd.length > MAX_BODY) errors.body = 'posts.body.tooLong'
  else if (isTooDeep(bodyMd)) errors.body = 'posts.body.tooDeep'
  if (invalid.length) errors.tags = 'posts.tags.invalid'
  if (slug && (slug.length > MAX_SLUG_LENGTH || !SLUG_PATTERN.test(slug))) errors.slug = 'posts.slug.invalid'
  else if (RESERVED_SLUGS.has(slug)) errors.slug = 'posts.slug.taken'

  const content: PostContent = { title, lead, bodyMd, tags, coverUploadId: input.coverUploadId }
  if (slug) content.slug = slug
  return { content, errors }
}

/** SHA-256 over exactly what readers would get from a revision; the audit trail records it. */
export function contentHash(c: { title: string; lead: string; bodyMd: string; tags: string[]; coverUploadId: number | null; slug: string }): string {
  const fields = [c.title, c.lead, c.bodyMd, c.tags.join(','), c.coverUploadId, c.slug]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

export function joinTags(tags: string[]): string {
  return tags.join(',')
}

export function splitTags(stored: string): string[] {
  return stored ? stored.split(',') : []
}

export function postPath(slug: string): string {
  return `/posts/${slug}`
}

export function tagPath(name: string): string {
  return `/tags/${encodeURIComponent(name)}`
}
