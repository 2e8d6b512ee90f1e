// A person's picture as templates show it: the stored square sizes as a srcset, or, without a
// picture, their initials on a colour derived from the name (a class, so no inline style; every
// tone keeps white text above 4.5:1). Pure: the path comes with the row that named the person.
import { remembered } from '../remembered.js'

/** The square sizes stored for a picture, largest first (the first is the main file). */
export const AVATAR_SIZES = [256, 128, 64] as const
export const AVATAR_URL_PREFIX = '/avatars/'
/** How many colour classes static/site.css defines (.avatar-tone-0 … -11). */
export const AVATAR_TONES = 12

export interface AvatarView {
  initials: string
  tone: number
  /** Set when the person has a picture. */
  src?: string
  srcset?: string
}

/** 'Kari Nordmann' → 'KN', 'anne' → 'A', '' → '?'. Letters by code point, so 'Øystein Å.' → 'ØÅ'. */
export function initialsOf(name: string): string {
  const words = name.split(/[\s\-–]+/).map((w) => w.replace(/^[^\p{L}\p{N}]+/u, '')).filter(Boolean)
  const first = words[0]
  if (!first) return '?'
  const last = words.length > 1 ? words[words.length - 1]! : ''
  return ([...first][0]! + ([...last][0] ?? '')).toLocaleUpperCase('nb')
}

/** A stable tone for a name (FNV-1a), so a person keeps their colour everywhere. */
export function toneOf(name: string): number {
  let h = 0x811c9dc5
  for (const ch of name.normalize('NFC')) {
    h ^= ch.codePointAt(0)!
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h % AVATAR_TONES
}

/** The stored path of one size: '2026/12/<hex>.webp' → '2026/12/<hex>-64.webp'; the largest is the main file. */
export function sizedPath(mainPath: string, size: number): string {
  return size === AVATAR_SIZES[0] ? mainPath : mainPath.replace(/(\.[a-z]+)$/, `-${size}$1`)
}

// A page shows the same few people many times (50 comments, 20 updates): each view is made once per
// name and picture, and frozen (one page cannot change it for the next).
export const avatarOf = remembered(
  (name: string, path: string | null | undefined) => `${path ?? ''}\n${name}`,
  (name: string, path: string | null | undefined): Readonly<AvatarView> => {
    const view: AvatarView = { initials: initialsOf(name), tone: toneOf(name) }
    if (path) {
      view.src = AVATAR_URL_PREFIX + sizedPath(path, 64)
      view.srcset = [...AVATAR_SIZES].reverse().map((s) => `${AVATAR_URL_PREFIX}${sizedPath(path, s)} ${s}w`).join(', ')
    }
    return Object.freeze(view)
  },
  10_000,
)
