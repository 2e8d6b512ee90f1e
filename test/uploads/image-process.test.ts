import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { ImageRejectedError, processImage, type ImageRejectionCode } from '../../src/uploads/image-process.js'
import { animated, BLUE, jpegWithPrivateMetadata, meanColour, pngClaiming, RED, solid } from './fixtures.js'

function rejectedWith(code: ImageRejectionCode) {
  return (err: unknown) => {
    assert.ok(err instanceof ImageRejectedError, `expected ImageRejectedError, got ${String(err)}`)
    assert.equal(err.code, code)
    assert.equal(err.name, 'ImageRejectedError')
    return true
  }
}

function assertNear(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }) {
  for (const k of ['r', 'g', 'b'] as const) {
    assert.ok(Math.abs(actual[k] - expected[k]) < 40, `${k}: ${actual[k]} not near ${expected[k]}`)
  }
}

test('JPEG: EXIF orientation is applied to the pixels, then GPS, EXIF, XMP and ICC are all stripped', async () => {
  const input = await jpegWithPrivateMetadata()
  const before = await sharp(input).metadata()
  // The fixture really carries what we claim to strip (else the test proves nothing).
  assert.equal(before.orientation, 6)
  assert.ok(before.exif && before.xmp && before.icc)
  assert.ok(before.exif.includes(Buffer.from([0x25, 0x88])), 'fixture EXIF has a GPS IFD pointer (tag 0x8825)')
  assert.ok(input.includes('kontoret-i-munkegata'))

  const out = await processImage(input)
  assert.deepEqual([out.format, out.mime, out.ext], ['jpeg', 'image/jpeg', 'jpg'])
  assert.deepEqual([out.width, out.height], [200, 300], 'portrait after orientation 6')
  assert.deepEqual(out.data.subarray(0, 3), Buffer.from([0xff, 0xd8, 0xff]))

  const after = await sharp(out.data).metadata()
  assert.equal(after.exif, undefined)
  assert.equal(after.xmp, undefined)
  assert.equal(after.iptc, undefined)
  assert.equal(after.icc, undefined)
  assert.equal(after.orientation, undefined)
  assert.deepEqual([after.width, after.height], [200, 300])
  assert.ok(!out.data.includes('kontoret-i-munkegata'))
  assert.ok(!out.data.includes('Fotograf'))

  // Rotated 90° clockwise: the red left half is now on top, the blue right half at the bottom.
  assertNear(await meanColour(out.data, { left: 20, top: 20, width: 160, height: 100 }), RED)
  assertNear(await meanColour(out.data, { left: 20, top: 180, width: 160, height: 100 }), BLUE)
  assert.deepEqual(out.variants, [])
})

test('a 3000 px wide PNG is scaled to 1600 with an 800 px variant, aspect kept', async () => {
  const input = await solid(3000, 1500).png().toBuffer()
  const out = await processImage(input)
  assert.deepEqual([out.format, out.mime, out.ext], ['png', 'image/png', 'png'])
  assert.deepEqual([out.width, out.height], [1600, 800])
  const main = await sharp(out.data).metadata()
  assert.deepEqual([main.format, main.width, main.height], ['png', 1600, 800])

  assert.equal(out.variants.length, 1)
  const [v] = out.variants
  assert.deepEqual([v?.width, v?.height], [800, 400])
  const vm = await sharp(v!.data).metadata()
  assert.deepEqual([vm.format, vm.width, vm.height], ['png', 800, 400])
})

test('a small PNG is not upscaled and gets no variant', async () => {
  const out = await processImage(await solid(400, 300).png().toBuffer())
  assert.deepEqual([out.width, out.height], [400, 300])
  assert.deepEqual(out.variants, [])
  const m = await sharp(out.data).metadata()
  assert.deepEqual([m.width, m.height], [400, 300])
})

test('between 800 and 1600 px: main kept at its size, plus an 800 variant; exactly 800: no variant', async () => {
  const mid = await processImage(await solid(1200, 600).png().toBuffer())
  assert.deepEqual([mid.width, mid.height], [1200, 600])
  assert.deepEqual(mid.variants.map((v) => [v.width, v.height]), [[800, 400]])

  const edge = await processImage(await solid(800, 100).png().toBuffer())
  assert.equal(edge.width, 800)
  assert.deepEqual(edge.variants, [])
})

test('WebP stays WebP', async () => {
  const out = await processImage(await solid(1000, 500, BLUE).webp().toBuffer())
  assert.deepEqual([out.format, out.mime, out.ext], ['webp', 'image/webp', 'webp'])
  assert.deepEqual([out.width, out.height], [1000, 500])
  assert.equal((await sharp(out.data).metadata()).format, 'webp')
  assert.deepEqual(out.variants.map((v) => [v.width, v.height]), [[800, 400]])
  assert.equal((await sharp(out.variants[0]!.data).metadata()).format, 'webp')
})

test('a still GIF stays GIF', async () => {
  const out = await processImage(await solid(120, 80).gif().toBuffer())
  assert.deepEqual([out.format, out.mime, out.ext], ['gif', 'image/gif', 'gif'])
  assert.deepEqual([out.width, out.height, out.animated], [120, 80, false])
  assert.deepEqual(out.data.subarray(0, 6).toString('latin1'), 'GIF89a')
})

test('an animated GIF keeps its frames, delays and loop, in the main image and the variant', async () => {
  const out = await processImage(await animated('gif', 1000, 100, 3))
  assert.equal(out.animated, true)
  assert.deepEqual([out.width, out.height], [1000, 100], 'height is per frame')
  const m = await sharp(out.data, { animated: true }).metadata()
  assert.deepEqual([m.format, m.pages, m.pageHeight, m.loop], ['gif', 3, 100, 0])
  assert.deepEqual(m.delay, [100, 200, 300])

  const [v] = out.variants
  assert.deepEqual([v?.width, v?.height], [800, 80])
  const vm = await sharp(v!.data, { animated: true }).metadata()
  assert.deepEqual([vm.pages, vm.pageHeight], [3, 80])
})

test('an animated WebP keeps its animation', async () => {
  const out = await processImage(await animated('webp', 300, 200, 4))
  assert.equal(out.format, 'webp')
  assert.equal(out.animated, true)
  assert.deepEqual([out.width, out.height], [300, 200])
  assert.equal((await sharp(out.data, { animated: true }).metadata()).pages, 4)
})

test('an animation larger than the pixel budget is reduced to its first frame, not refused', async () => {
  // 3 frames of 100×100 = 30 000 pixels > 20 000; one frame (10 000) fits.
  const out = await processImage(await animated('gif', 100, 100, 3), { maxPixels: 20_000 })
  assert.equal(out.animated, false)
  assert.deepEqual([out.width, out.height], [100, 100])
  const m = await sharp(out.data, { animated: true }).metadata()
  assert.equal(m.pages ?? 1, 1)
})

test('the type comes from the bytes: a PNG named photo.jpg is handled as PNG', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'betablogg-img-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'photo.jpg')
  await writeFile(file, await solid(50, 40).png().toBuffer())

  const out = await processImage(await readFile(file))
  assert.deepEqual([out.format, out.mime, out.ext], ['png', 'image/png', 'png'])
  assert.deepEqual(out.data.subarray(0, 4), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
})

test('an empty buffer is refused as empty', async () => {
  await assert.rejects(processImage(Buffer.alloc(0)), rejectedWith('empty'))
})

test('SVG is refused as unsupported-type, with or without an XML declaration', async () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
  await assert.rejects(processImage(Buffer.from(svg)), rejectedWith('unsupported-type'))
  await assert.rejects(processImage(Buffer.from(`<?xml version="1.0"?>\n${svg}`)), rejectedWith('unsupported-type'))
  // sharp itself would happily decode it: the refusal is ours.
  assert.equal((await sharp(Buffer.from(svg)).metadata()).format, 'svg')
})

test('TIFF, AVIF/HEIC, BMP and non-WebP RIFF files are refused as unsupported-type', async () => {
  const tiff = await solid(10, 10).tiff().toBuffer()
  const avif = await solid(16, 16).avif().toBuffer()
  const heicHeader = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), randomBytes(64)])
  const bmp = Buffer.concat([Buffer.from('BM'), randomBytes(64)])
  const wav = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), randomBytes(32)])
  for (const bytes of [tiff, avif, heicHeader, bmp, wav]) {
    await assert.rejects(processImage(bytes), rejectedWith('unsupported-type'))
  }
})

test('random bytes are refused as unsupported-type', async () => {
  const bytes = randomBytes(4096)
  bytes[0] = 0x00 // no accepted signature starts with 0x00, so the outcome is deterministic
  await assert.rejects(processImage(bytes), rejectedWith('unsupported-type'))
})

test('a correct signature followed by garbage is refused as corrupt', async () => {
  const pngSig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  await assert.rejects(processImage(Buffer.concat([pngSig, randomBytes(2048)])), rejectedWith('corrupt'))
  await assert.rejects(processImage(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048)])), rejectedWith('corrupt'))
  await assert.rejects(processImage(Buffer.from('GIF89a not really a gif')), rejectedWith('corrupt'))
  await assert.rejects(processImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 garbage!')), rejectedWith('corrupt'))
})

test('a truncated JPEG is refused as corrupt', async () => {
  const full = await sharp({ create: { width: 400, height: 300, channels: 3, background: RED, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg()
    .toBuffer()
  await assert.rejects(processImage(full.subarray(0, Math.floor(full.length / 2))), rejectedWith('corrupt'))
})

test('decompression bombs are refused from the header, before decoding', async () => {
  // 50 000 × 50 000 = 2.5 gigapixels claimed in a file of under 100 bytes.
  const bomb = pngClaiming(50_000, 50_000)
  assert.ok(bomb.length < 100)
  await assert.rejects(processImage(bomb), rejectedWith('too-large-dimensions'))
})

test('maxPixels is honoured for ordinary images', async () => {
  const input = await solid(100, 100).png().toBuffer()
  await assert.rejects(processImage(input, { maxPixels: 9_999 }), rejectedWith('too-large-dimensions'))
  assert.equal((await processImage(input, { maxPixels: 10_000 })).width, 100)
})
