// The upload image pipeline: untrusted bytes in, clean web-sized images out. Pure: no database, no
// file system. Every accepted image is decoded and re-encoded, so nothing from the original file
// survives except its pixels: EXIF (GPS position, camera serial), XMP, IPTC, ICC profiles and
// comments are dropped by sharp's default of writing no metadata (colours are converted to sRGB).
import { sharp } from './sharp.js'
import type { Metadata, OutputInfo, Sharp, SharpOptions } from 'sharp'
import { IMAGE_FORMATS, sniffImageFormat, type ImageFormat } from './image-formats.js'

export type ImageRejectionCode = 'empty' | 'unsupported-type' | 'corrupt' | 'too-large-dimensions'

/** The upload is not an image we accept. `code` is stable; map it to a (localized) message. */
export class ImageRejectedError extends Error {
  override readonly name = 'ImageRejectedError'
  constructor(
    readonly code: ImageRejectionCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export interface ImageVariant {
  width: number
  height: number
  data: Buffer
}

export interface ProcessedImage {
  format: ImageFormat
  mime: string
  /** extension without the dot: 'jpg' | 'png' | 'webp' | 'gif' */
  ext: string
  width: number
  height: number
  data: Buffer
  /** true when the output keeps more than one frame (animated GIF or WebP) */
  animated: boolean
  /** smaller renditions for srcset, narrowest last; empty when the image is already narrow */
  variants: ImageVariant[]
}

export interface ProcessImageOptions {
  /** decoder limit on width × height (all frames together for animations); default 40 megapixels */
  maxPixels?: number
}

export const DEFAULT_MAX_PIXELS = 40_000_000
export const MAIN_MAX_WIDTH = 1600
export const VARIANT_WIDTHS: readonly number[] = [800]
const JPEG_QUALITY = 82
const WEBP_QUALITY = 82

/**
 * Validates and re-encodes an uploaded image. Throws ImageRejectedError for anything we do not
 * accept; a decoder failure is reported as 'corrupt' with the libvips error as `cause` (log it).
 * Decoding uses failOn 'error': real decode errors (truncation, bad headers) reject, while
 * the harmless libjpeg warnings some cameras trigger do not.
 *
 * Animated GIF/WebP keep their animation while all frames together stay within `maxPixels`; a
 * longer animation whose single frame fits is reduced to its first frame (a still image) rather
 * than refused.
 */
export async function processImage(input: Buffer, opts: ProcessImageOptions = {}): Promise<ProcessedImage> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS
  if (!Number.isSafeInteger(maxPixels) || maxPixels < 1) throw new RangeError('maxPixels must be a positive integer')
  if (input.length === 0) throw new ImageRejectedError('empty', 'The file is empty')

  const format = sniffImageFormat(input)
  if (!format) throw new ImageRejectedError('unsupported-type', 'Only JPEG, PNG, WebP and GIF images are accepted')

  const meta = await readHeader(input, format, maxPixels)
  const frameHeight = meta.pageHeight ?? meta.height
  const pages = meta.pages ?? 1
  const animated = (format === 'gif' || format === 'webp') && pages > 1 && meta.width * frameHeight * pages <= maxPixels
  // Orientation only matters for stills; EXIF orientation on animations is not something browsers honour either.
  const width = animated ? meta.width : meta.autoOrient.width

  const decode: SharpOptions = { limitInputPixels: maxPixels, animated, failOn: 'error' }
  const main = await encode(input, decode, format, Math.min(width, MAIN_MAX_WIDTH))
  const variants: ImageVariant[] = []
  for (const w of VARIANT_WIDTHS) {
    if (width > w) variants.push(await encode(input, decode, format, w))
  }
  const { mime, ext } = IMAGE_FORMATS[format]
  return { format, mime, ext, ...main, animated, variants }
}

/** Reads only the header: cheap, and enforces the pixel limit before any pixels are decoded. */
export async function readHeader(input: Buffer, format: ImageFormat, maxPixels: number): Promise<Metadata> {
  let meta: Metadata
  try {
    // Not `animated`: the limit here applies to one frame; the frame count is checked by the caller.
    meta = await sharp()(input, { limitInputPixels: maxPixels }).metadata()
  } catch (err) {
    throw rejectionFor(err)
  }
  // The signature matched but libvips picked another loader: treat as not a valid file of that type.
  if (meta.format !== format) {
    throw new ImageRejectedError('corrupt', `The file starts like ${format} but does not decode as one`)
  }
  return meta
}

async function encode(input: Buffer, decode: SharpOptions, format: ImageFormat, width: number): Promise<ImageVariant> {
  // autoOrient() first: it applies EXIF orientation to the pixels, since the tag itself is dropped.
  const pipeline = sharp()(input, decode).autoOrient().resize({ width, withoutEnlargement: true })
  let result: { data: Buffer; info: OutputInfo }
  try {
    result = await withEncoder(pipeline, format).toBuffer({ resolveWithObject: true })
  } catch (err) {
    throw rejectionFor(err)
  }
  const { data, info } = result
  // For animations libvips stacks the frames vertically; report the height of one frame.
  return { width: info.width, height: info.pageHeight ?? info.height, data }
}

export function withEncoder(pipeline: Sharp, format: ImageFormat): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality: JPEG_QUALITY, mozjpeg: sharp().versions.mozjpeg !== undefined })
    case 'png':
      return pipeline.png({ compressionLevel: 9 })
    case 'webp':
      return pipeline.webp({ quality: WEBP_QUALITY })
    case 'gif':
      return pipeline.gif()
  }
}

export function rejectionFor(err: unknown): ImageRejectedError {
  const message = err instanceof Error ? err.message : String(err)
  if (/pixel limit/i.test(message)) {
    return new ImageRejectedError('too-large-dimensions', 'The image has too many pixels', { cause: err })
  }
  return new ImageRejectedError('corrupt', 'The image could not be decoded', { cause: err })
}
