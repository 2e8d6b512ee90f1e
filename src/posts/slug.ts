// URL slugs and tags for posts.
//
// Slugs follow the common Norwegian URL convention (NRK, regjeringen.no and most municipalities):
// æ → ae, ø → o, å → a. Other letters lose their diacritics (é → e, ü → u, Sami č → c) and anything
// else becomes a hyphen, so slugs are plain ASCII [a-z0-9-] and never need percent-encoding.
// Tags keep Norwegian letters ("økonomi"): they are shown to readers and matched as typed.

export const MAX_SLUG_LENGTH = 80
export const MAX_TAG_LENGTH = 40
export const MAX_TAGS = 10

// Letters that Unicode decomposition does not reduce to ASCII.
const TRANSLITERATION: Record<string, string> = {
  æ: 'ae', ø: 'o', å: 'a', ß: 'ss', ð: 'd', þ: 'th', œ: 'oe', ł: 'l', đ: 'd', ŋ: 'n', ŧ: 't', ı: 'i',
}

/** Lower-case ASCII slug of at most 80 characters, cut at a hyphen; `fallback` when nothing is left. */
export function slugify(title: string, fallback = 'innlegg'): string {
  const ascii = title
    .toLowerCase()
    .replace(/[æøåßðþœłđŋŧı]/g, (c) => TRANSLITERATION[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  return cutAtHyphen(slug, MAX_SLUG_LENGTH) || fallback
}

/** `base`, or `base-2`, `base-3` … whichever is not taken; stays within the length limit. */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  if (!taken(base)) return base
  for (let n = 2; n < 100_000; n++) {
    const suffix = `-${n}`
    const candidate = cutAtHyphen(base, MAX_SLUG_LENGTH - suffix.length) + suffix
    if (!taken(candidate)) return candidate
  }
  throw new Error(`no free slug for "${base}"`)
}

function cutAtHyphen(slug: string, max: number): string {
  if (slug.length <= max) return slug
  const head = slug.slice(0, max + 1) // includes the character after the limit: it may be the hyphen
  const hyphen = head.lastIndexOf('-')
  return (hyphen > 0 ? head.slice(0, hyphen) : slug.slice(0, max)).replace(/-+$/, '')
}

/**
 * A tag as stored: trimmed, a leading `#` dropped, lower-cased, whitespace runs → one `-`.
 * Letters (any script, Norwegian kept), digits and hyphens only, at most 40 characters; else undefined.
 */
export function normaliseTag(input: string): string | undefined {
  const tag = input
    .normalize('NFC')
    .trim()
    .replace(/^#+/, '')
    .toLowerCase()
    .replace(/\s+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
  if (!tag || [...tag].length > MAX_TAG_LENGTH || !/^[\p{L}\p{M}\p{Nd}-]+$/u.test(tag)) return undefined
  return tag
}

/**
 * Parses the tag field (comma- or semicolon-separated). `tags` is deduplicated and holds at most
 * 10 tags; `invalid` holds the pieces as typed that were rejected, including any beyond the 10th.
 */
export function parseTags(input: string): { tags: string[]; invalid: string[] } {
  const tags: string[] = []
  const invalid: string[] = []
  for (const raw of input.split(/[,;]/)) {
    const piece = raw.trim()
    if (!piece) continue
    const tag = normaliseTag(piece)
    if (tag !== undefined && tags.includes(tag)) continue
    if (tag !== undefined && tags.length < MAX_TAGS) tags.push(tag)
    else if (!invalid.includes(piece)) invalid.push(piece)
  }
  return { tags, invalid }
}
