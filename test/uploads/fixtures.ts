// Test images, built with sharp itself so no binary fixtures live in the repository.
import sharp from 'sharp'

type Rgb = { r: number; g: number; b: number }
export const RED: Rgb = { r: 255, g: 0, b: 0 }
export const BLUE: Rgb = { r: 0, g: 0, b: 255 }

export function solid(width: number, height: number, colour: Rgb = RED) {
  return sharp({ create: { width, height, channels: 3, background: colour } })
}

/** Left half `left`, right half `right`: lets a test see which way an image was turned. */
export function twoHalves(width: number, height: number, left: Rgb, right: Rgb) {
  const pixels = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = x < width / 2 ? left : right
      pixels.set([c.r, c.g, c.b], (y * width + x) * 3)
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
}

/**
 * A 300×200 JPEG whose EXIF says "rotate 90° clockwise" (orientation 6) and which carries a GPS
 * position, a camera description, an XMP packet and a Display P3 ICC profile.
 * Stored pixels: red left half, blue right half.
 */
export function jpegWithPrivateMetadata(): Promise<Buffer> {
  return twoHalves(300, 200, RED, BLUE)
    .jpeg()
    .withIccProfile('p3')
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { ImageDescription: 'kontoret-i-munkegata', Make: 'Fotograf' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '63/1 25/1 47/1', GPSLongitudeRef: 'E', GPSLongitude: '10/1 23/1 36/1' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .toBuffer()
}

/** An animated GIF (or WebP) of `frames` frames, each width×height, with distinct delays. */
export async function animated(format: 'gif' | 'webp', width: number, height: number, frames = 3): Promise<Buffer> {
  const pngs = await Promise.all(
    Array.from({ length: frames }, (_, i) => solid(width, height, { r: (i * 80) % 256, g: 40, b: 200 }).png().toBuffer()),
  )
  const delay = Array.from({ length: frames }, (_, i) => 100 * (i + 1))
  const joined = sharp(pngs, { join: { animated: true } })
  return format === 'gif' ? joined.gif({ delay, loop: 0 }).toBuffer() : joined.webp({ delay, loop: 0 }).toBuffer()
}

/**
 * A tiny, valid-looking PNG whose header claims width×height pixels: the shape of a decompression
 * bomb. Only the header is well formed; a decoder that respects the pixel limit never gets further.
 */
export function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) {
    c ^= byte
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  }
  return (c ^ 0xffffffff) >>> 0
}

/** Average colour of a region of an encoded image, e.g. to see which half is red after rotation. */
export async function meanColour(image: Buffer, region: { left: number; top: number; width: number; height: number }) {
  // Computed by hand: sharp's stats() describes the whole input, ignoring extract().
  const { data, info } = await sharp(image).extract(region).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  const sum = [0, 0, 0]
  for (let i = 0; i < data.length; i += info.channels) for (let c = 0; c < 3; c++) sum[c]! += data[i + c]!
  const n = data.length / info.channels
  return { r: Math.round(sum[0]! / n), g: Math.round(sum[1]! / n), b: Math.round(sum[2]! / n) }
}
