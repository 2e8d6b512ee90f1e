// The image formats we accept for upload, recognised by their leading bytes ("magic numbers").
// File names and client-sent MIME types are never consulted: they are whatever the client says.

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif'

export interface ImageFormatInfo {
  mime: string
  /** file extension we store under, without the dot */
  ext: string
}

export const IMAGE_FORMATS: Readonly<Record<ImageFormat, Readonly<ImageFormatInfo>>> = Object.freeze({
  jpeg: Object.freeze({ mime: 'image/jpeg', ext: 'jpg' }),
  png: Object.freeze({ mime: 'image/png', ext: 'png' }),
  webp: Object.freeze({ mime: 'image/webp', ext: 'webp' }),
  gif: Object.freeze({ mime: 'image/gif', ext: 'gif' }),
})

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff])
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

function startsWith(bytes: Uint8Array, prefix: Uint8Array | string, at = 0): boolean {
  const p = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : prefix
  if (bytes.length < at + p.length) return false
  for (let i = 0; i < p.length; i++) if (bytes[at + i] !== p[i]) return false
  return true
}

/**
 * Returns the accepted format whose signature the bytes start with, or undefined for anything else
 * (SVG, HEIC/AVIF, TIFF, BMP, PDF, text, random bytes…). A matching signature says nothing about
 * whether the rest decodes; the decoder decides that.
 */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, JPEG_SOI)) return 'jpeg'
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png'
  if (startsWith(bytes, 'GIF87a') || startsWith(bytes, 'GIF89a')) return 'gif'
  // RIFF <4-byte little-endian size> WEBP
  if (startsWith(bytes, 'RIFF') && startsWith(bytes, 'WEBP', 8)) return 'webp'
  return undefined
}
