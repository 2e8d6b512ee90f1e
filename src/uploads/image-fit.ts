// Fixed-shape renditions from the same pipeline as every upload (image-process.ts): sniffed by their
// bytes, header read within the pixel limit, decoded, oriented and re-encoded with no metadata kept
// (EXIF, GPS, XMP dropped). Profile pictures are cropped to a square; a site logo is fitted to a height.
import { sharp } from './sharp.js'
import type { ResizeOptions } from 'sharp'
import { IMAGE_FORMATS, sniffImageFormat, type ImageFormat } from './image-formats.js'
import {
  DEFAULT_MAX_PIXELS, ImageRejectedError, readHeader, rejectionFor, withEncoder, type ImageVariant, type ProcessedImage,
} from './image-process.js'

/** Sniffs and checks the header; `allowed` narrows the accepted formats. */
async function accept(input: Buffer, allowed: readonly ImageFormat[]): Promise<ImageFormat> {
  if (input.length === 0) throw new ImageRejectedError('empty', 'The file is empty')
  const format = sniffImageFormat(input)
  if (!format || !allowed.includes(format)) throw new ImageRejectedError('unsupported-type', `Only ${allowed.join(', ')} images are accepted`)
  await readHeader(input, format, DEFAULT_MAX_PIXELS)
  return format
}

async function render(input: Buffer, format: ImageFormat, resize: ResizeOptions): Promise<ImageVariant> {
  // A still: an animated GIF or WebP gives its first frame.
  const pipeline = sharp()(input, { limitInputPixels: DEFAULT_MAX_PIXELS, failOn: 'error' }).autoOrient().resize(resize)
  try {
    const { data, info } = await withEncoder(pipeline, format).toBuffer({ resolveWithObject: true })
    return { width: info.width, height: info.height, data }
  } catch (err) {
    throw rejectionFor(err)
  }
}

function result(format: ImageFormat, main: ImageVariant, variants: ImageVariant[]): ProcessedImage {
  const { mime, ext } = IMAGE_FORMATS[format]
  return { format, mime, ext, ...main, animated: false, variants }
}

/**
 * A square picture in each of `sizes` (largest first; the first is the main file), cropped around
 * the most interesting part and scaled up or down so every size exists. A GIF becomes a PNG (a still).
 */
export async function processSquare(input: Buffer, sizes: readonly number[]): Promise<ProcessedImage> {
  const sniffed = await accept(input, ['jpeg', 'png', 'webp', 'gif'])
  const format: ImageFormat = sniffed === 'gif' ? 'png' : sniffed
  const [first, ...rest] = await Promise.all(sizes.map((size) => render(input, format, { width: size, height: size, fit: 'cover', position: sharp().strategy.attention })))
  return result(format, first!, rest)
}

/** A logo: PNG or JPEG only (an SVG may carry scripts), at most `maxHeight` pixels high, never enlarged. */
export async function processLogo(input: Buffer, maxHeight: number, maxWidth: number): Promise<ProcessedImage> {
  const format = await accept(input, ['png', 'jpeg'])
  const main = await render(input, format, { height: maxHeight, width: maxWidth, fit: 'inside', withoutEnlargement: true })
  return result(format, main, [])
}

/** An SVG file (or any XML) by its first bytes: refused with its own message. */
export function looksLikeSvg(input: Buffer): boolean {
  const head = input.subarray(0, 512).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase()
  return head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || (head.startsWith('<!doctype svg'))
}
