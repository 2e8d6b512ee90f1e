import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { processImage, type ProcessedImage } from '../../src/uploads/image-process.js'
import { deleteImage, resolveUploadPath, saveImage } from '../../src/uploads/storage.js'
import { solid } from './fixtures.js'

const NOV_2026 = new Date('2026-11-05T12:00:00Z')

async function tempUploads(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'betablogg-uploads-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

// Storage does not care what the bytes are; a stand-in keeps these tests fast.
function fakeImage(variants = true): ProcessedImage {
  return {
    format: 'webp',
    mime: 'image/webp',
    ext: 'webp',
    width: 1600,
    height: 900,
    data: Buffer.from('main image bytes'),
    animated: false,
    variants: variants ? [{ width: 800, height: 450, data: Buffer.from('variant') }] : [],
  }
}

test('saveImage writes the main file and its variant under yyyy/mm with a random name of our own', async (t) => {
  const dir = await tempUploads(t)
  const img = fakeImage()
  const stored = await saveImage(dir, img, { now: NOV_2026 })

  assert.match(stored.path, /^2026\/11\/[0-9a-f]{32}\.webp$/)
  assert.equal(stored.publicUrl, `/uploads/${stored.path}`)
  assert.deepEqual([stored.width, stored.height, stored.mime, stored.bytes], [1600, 900, 'image/webp', img.data.length])
  assert.equal(await readFile(path.join(dir, stored.path), 'utf8'), 'main image bytes')

  assert.equal(stored.variants.length, 1)
  const [v] = stored.variants
  assert.equal(v?.path, stored.path.replace(/\.webp$/, '-800.webp'))
  assert.equal(v?.publicUrl, `/uploads/${v?.path}`)
  assert.deepEqual([v?.width, v?.height, v?.bytes], [800, 450, 7])
  assert.equal(await readFile(path.join(dir, v!.path), 'utf8'), 'variant')

  // Exactly the two files: no temp files left behind.
  assert.deepEqual((await readdir(path.join(dir, '2026', '11'))).sort(), [path.basename(stored.path), path.basename(v!.path)].sort())
})

test('each save gets a fresh name', async (t) => {
  const dir = await tempUploads(t)
  const a = await saveImage(dir, fakeImage(false), { now: NOV_2026 })
  const b = await saveImage(dir, fakeImage(false), { now: NOV_2026 })
  assert.notEqual(a.path, b.path)
  assert.deepEqual([a.variants, b.variants], [[], []])
})

test('the month folder is taken in UTC', async (t) => {
  const dir = await tempUploads(t)
  // Run in Norwegian time so a local-time month would show; put back afterwards (other files may run in this process).
  const tz = process.env.TZ
  process.env.TZ = 'Europe/Oslo'
  t.after(() => {
    if (tz === undefined) delete process.env.TZ
    else process.env.TZ = tz
  })
  assert.equal(new Date('2026-12-31T23:30:00Z').getMonth(), 0, 'control: local time is already January')
  // Already January 2027 in Trondheim, still December in UTC.
  const stored = await saveImage(dir, fakeImage(false), { now: new Date('2026-12-31T23:30:00Z') })
  assert.match(stored.path, /^2026\/12\//)
})

test('a failed write leaves no files behind', async (t) => {
  const dir = await tempUploads(t)
  const broken: ProcessedImage = { ...fakeImage(), variants: [{ width: 800, height: 450, data: undefined as unknown as Buffer }] }
  await assert.rejects(saveImage(dir, broken, { now: NOV_2026 }))
  assert.deepEqual(await readdir(path.join(dir, '2026', '11')), [])
})

test('resolveUploadPath maps our public URLs to files inside the uploads folder', async (t) => {
  const dir = await tempUploads(t)
  const stored = await saveImage(dir, fakeImage(), { now: NOV_2026 })
  const main = resolveUploadPath(dir, stored.publicUrl)
  assert.equal(main, path.join(path.resolve(dir), '2026', '11', path.basename(stored.path)))
  assert.equal(await readFile(main!, 'utf8'), 'main image bytes')
  assert.equal(await readFile(resolveUploadPath(dir, stored.variants[0]!.publicUrl)!, 'utf8'), 'variant')
})

test('resolveUploadPath refuses traversal and anything that is not one of our names', () => {
  const dir = '/srv/betablogg/uploads'
  const id = '0123456789abcdef0123456789abcdef'
  assert.ok(resolveUploadPath(dir, `/uploads/2026/11/${id}.jpg`), 'control: a well-formed path resolves')
  const bad = [
    '/uploads/../../etc/passwd',
    `/uploads/2026/11/../../../etc/passwd`,
    `/uploads/2026/../11/${id}.jpg`,
    `/uploads/2026/11/./${id}.jpg`,
    `/uploads//2026/11/${id}.jpg`,
    '/uploads/%2e%2e/%2e%2e/etc/passwd',
    `/uploads/2026/11/${id}%2ejpg`,
    `/uploads/2026\\11\\${id}.jpg`,
    `/uploads/..\\..\\${id}.jpg`,
    `/uploads/2026/11/${id}.jpg\0.png`,
    `/uploads/2026/11/${id}\0.jpg`,
    '/etc/passwd',
    `/srv/betablogg/uploads/2026/11/${id}.jpg`,
    `2026/11/${id}.jpg`,
    `uploads/2026/11/${id}.jpg`,
    `/uploads/2026/11/${id}.svg`,
    `/uploads/2026/11/${id}.html`,
    `/uploads/2026/11/${id}.jpg?x=1`,
    `/uploads/2026/11/${id.toUpperCase()}.jpg`,
    `/uploads/2026/11/${id}-0.jpg`,
    `/uploads/2026/11/report.pdf`,
    '/uploads/',
    '',
  ]
  for (const p of bad) assert.equal(resolveUploadPath(dir, p), undefined, JSON.stringify(p))
})

test('deleteImage removes the image and its variants only, and is idempotent', async (t) => {
  const dir = await tempUploads(t)
  const doomed = await saveImage(dir, fakeImage(), { now: NOV_2026 })
  const kept = await saveImage(dir, fakeImage(), { now: NOV_2026 })

  assert.equal(await deleteImage(dir, doomed.path), 2)
  const left = (await readdir(path.join(dir, '2026', '11'))).sort()
  assert.deepEqual(left, [path.basename(kept.path), path.basename(kept.variants[0]!.path)].sort())
  assert.equal(await deleteImage(dir, doomed.path), 0)
  assert.equal(await deleteImage(dir, '2030/01/0123456789abcdef0123456789abcdef.png'), 0, 'missing month folder')
})

test('deleteImage refuses paths it did not produce', async (t) => {
  const dir = await tempUploads(t)
  const stored = await saveImage(dir, fakeImage(), { now: NOV_2026 })
  for (const p of ['../outside.webp', '/etc/passwd', stored.publicUrl, stored.variants[0]!.path, `${stored.path}/..`]) {
    await assert.rejects(deleteImage(dir, p), /Not a stored image path/, p)
  }
  assert.equal((await readdir(path.join(dir, '2026', '11'))).length, 2, 'nothing was deleted')
})

test('processed images round-trip through storage', async (t) => {
  const dir = await tempUploads(t)
  const img = await processImage(await solid(2000, 1000).jpeg().toBuffer())
  const stored = await saveImage(dir, img, { now: NOV_2026 })
  assert.match(stored.path, /\.jpg$/)
  assert.equal(stored.mime, 'image/jpeg')
  const onDisk = await sharp(resolveUploadPath(dir, stored.publicUrl)!).metadata()
  assert.deepEqual([onDisk.format, onDisk.width, onDisk.height], ['jpeg', 1600, 800])
  const variant = await sharp(resolveUploadPath(dir, stored.variants[0]!.publicUrl)!).metadata()
  assert.deepEqual([variant.width, stored.variants[0]!.width], [800, 800])
})
