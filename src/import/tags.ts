// WordPress categories and tags → our tags (categories become tags too). Pure.
import { MAX_TAG_LENGTH, normaliseTag } from '../posts/slug.js'
import { decodeWpSlug } from '../wordpress/permalinks.js'

/** Imported pages become posts with this tag, so they can be found (`--skip-pages` leaves them out). */
export const PAGE_TAG = 'side'

/** WordPress's default category says nothing about a post; it is not carried over. */
const DEFAULT_CATEGORIES = new Set(['uncategorized', 'ukategorisert', 'ikke-kategorisert', 'uten-kategori'])

export interface TermRef {
  taxonomy: 'category' | 'post_tag'
  slug: string
  name: string
}

/** The key of a term in the import map: 'category:ikt', 'post_tag:åpne-data'. */
export const termKey = (t: { taxonomy: string; slug: string }) => `${t.taxonomy}:${t.slug}`

export function isDefaultCategory(t: Pick<TermRef, 'taxonomy' | 'slug'>): boolean {
  return t.taxonomy === 'category' && DEFAULT_CATEGORIES.has(t.slug)
}

/**
 * Our tag for a term: its name normalised ("IKT" → "ikt", "Åpne data" → "åpne-data"); characters a
 * tag cannot hold ("IKT & samfunn") become hyphens; failing that, the slug. Undefined when nothing fits.
 */
export function tagFromTerm(t: Pick<TermRef, 'slug' | 'name'>): string | undefined {
  const name = t.name.normalize('NFC')
  const cleaned = name.replace(/[^\p{L}\p{M}\p{Nd}\s-]+/gu, '-')
  return normaliseTag(name) ?? normaliseTag(cleaned) ?? normaliseTag(decodeWpSlug(t.slug)) ?? normaliseTag(shorten(cleaned))
}

/** The leading words of a long name that fit in a tag (at least one word, cut if it alone is too long). */
function shorten(text: string): string {
  const words = text.split(/[\s-]+/).filter(Boolean)
  let out = ''
  for (const w of words) {
    const next = out ? `${out}-${w}` : w
    if ([...next].length > MAX_TAG_LENGTH) break
    out = next
  }
  return out || [...(words[0] ?? '')].slice(0, MAX_TAG_LENGTH).join('')
}
