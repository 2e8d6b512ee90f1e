import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { Readable } from 'node:stream'
import { parseWxr, validateWxr } from '../../src/wordpress/parse-wxr.js'
import { WxrError, type WxrEvent } from '../../src/wordpress/wxr-types.js'
import { badInputs, buildWxr, sampleSpec } from './fixtures.js'

const isWxrError = (code: string, message?: RegExp) => (err: unknown) => {
  assert.ok(err instanceof WxrError, `expected WxrError, got ${String(err)}`)
  assert.equal(err.code, code)
  if (message) assert.match(err.message, message)
  return true
}

for (const [name, { text, code }] of Object.entries(badInputs())) {
  test(`refuses ${name} with ${code}`, async () => {
    await assert.rejects(validateWxr(Readable.from([text])), isWxrError(code))
  })
}

test('invalid XML reports the line saxes stopped at', async () => {
  const { text } = badInputs().invalidXml
  const line = text.slice(0, text.indexOf('</wp:post_navn>')).split('\n').length
  await assert.rejects(validateWxr(Readable.from([text])), (err) => {
    assert.ok(err instanceof WxrError)
    assert.equal(err.line, line)
    assert.match(err.message, new RegExp(`line ${line}`))
    return true
  })
})

test('not-XML is reported on line 1 with a plain message', async () => {
  await assert.rejects(validateWxr(Readable.from(['Dette er ikke XML'])), isWxrError('not-xml', /^Not an XML file: .*line 1/))
})

test('a truncated export names the element it stopped in', async () => {
  await assert.rejects(validateWxr(Readable.from([badInputs().truncated.text])), isWxrError('truncated', /content:encoded.*cut short/))
  const cutInTag = buildWxr(sampleSpec()).slice(0, -20) // inside </channel></rss>
  await assert.rejects(validateWxr(Readable.from([cutInTag])), isWxrError('truncated'))
})

test('an unknown version is refused before any item is yielded', async () => {
  const events: WxrEvent[] = []
  await assert.rejects(async () => {
    for await (const e of parseWxr(Readable.from([badInputs().unknownVersion.text]))) events.push(e)
  }, isWxrError('unsupported-version', /"9\.9"/))
  assert.deepEqual(events, [])
})

test('RSS without wp:wxr_version is not a WordPress export', async () => {
  const xml = buildWxr(sampleSpec()).replace(/<wp:wxr_version>.*<\/wp:wxr_version>/, '')
  await assert.rejects(validateWxr(Readable.from([xml])), isWxrError('not-wxr', /wxr_version/))
})

test('a missing file is an io error', async () => {
  await assert.rejects(validateWxr(join(tmpdir(), 'finnes-ikke-betatrondheim.xml')), isWxrError('io', /ENOENT/))
})

test('not-XML after blank lines is reported where the text starts', async () => {
  await assert.rejects(validateWxr(Readable.from(['\n', '\n\n  Hei\nmer tekst\n'])), (err) => {
    assert.ok(err instanceof WxrError)
    assert.equal(err.line, 4)
    return true
  })
})
