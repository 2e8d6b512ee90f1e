import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs/promises'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { unzipSync } from 'fflate'
import { buildTestApp, dataEnv, makeTempDir } from '../helpers/app.js'
import { makeUser } from '../helpers/users.js'
import { loggedIn } from '../helpers/client.js'
import { asCurrent, publishedPost, RULES } from '../posts/helpers.js'
import { savePost } from '../../src/posts/service.js'
import { postComment } from '../../src/comments/service.js'
import { createExtract } from '../../src/archive/service.js'
import { verifyAuditChain } from '../../src/audit/chain.js'
import { runCli } from '../../src/cli/main.js'
import { listedChecksums, xmllint } from './helpers.js'

const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex')

async function seed(app: Awaited<ReturnType<typeof buildTestApp>>) {
  const author = await makeUser(app, { displayName: 'Åse Forfatter' })
  const editor = await makeUser(app, { role: 'editor', displayName: 'Rita Redaktør' })
  const reader = await makeUser(app, { displayName: 'Kari Kommentar' })
  const at = new Date('2026-03-10T10:00:00Z')
  const first = await publishedPost(app, author, editor, { title: 'Digital post & <kommune>', body: '## Hvorfor\n\nTekst med **æøå** og en [lenke](https://example.org).\n\n- punkt en\n- punkt to', tags: 'ikt, digitalisering' }, at)
  // A live edit by an editor: a second published version with a new title.
  await savePost(app.db, asCurrent(editor, { isEditor: true }), first, { title: 'Digital post i kommunen', body: 'Ny tekst.', lead: '', tags: 'ikt', coverUploadId: null }, { fourEyes: false }, new Date('2026-03-11T09:00:00Z'))
  await postComment(app.db, asCurrent(reader), { postId: first, body: 'Flott innlegg!' }, new Date('2026-03-12T08:00:00Z'))
  const second = await publishedPost(app, author, editor, { title: 'Andre innlegg' }, new Date('2026-04-01T10:00:00Z'))
  const outside = await publishedPost(app, author, editor, { title: 'Utenfor perioden' }, new Date('2027-01-05T10:00:00Z'))
  return { author, editor, reader, first, second, outside }
}

test('the extract is valid Noark 5, its checksums hold, its documents are PDF/A-2b with embedded fonts, and it is audited', async (t) => {
  const app = await buildTestApp(t)
  const s = await seed(app)
  const x = await createExtract(app.db, { from: '2026-01-01', to: '2026-12-31' }, { id: s.editor.id, name: s.editor.username }, new Date('2027-02-01T12:00:00Z'))
  assert.equal(x.posts, 2)
  const dir = await makeTempDir('archive-test-')
  t.after(() => fs.rm(dir, { recursive: true, force: true }))
  for (const f of x.files) {
    await fs.mkdir(path.dirname(path.join(dir, f.name)), { recursive: true })
    await fs.writeFile(path.join(dir, f.name), f.data)
  }
  assert.equal(xmllint(path.join(dir, 'arkivstruktur.xml'), 'arkivstruktur.xsd'), '')
  assert.equal(xmllint(path.join(dir, 'endringslogg.xml'), 'endringslogg.xsd'), '')
  assert.equal(xmllint(path.join(dir, 'arkivuttrekk.xml'), 'addml.xsd'), '')

  // Every file but the manifest itself is listed with its true SHA-256, and arkivstruktur agrees.
  const addml = await fs.readFile(path.join(dir, 'arkivuttrekk.xml'), 'utf8')
  const listed = listedChecksums(addml)
  const names = x.files.map((f) => f.name).filter((n) => n !== 'arkivuttrekk.xml').sort()
  assert.deepEqual([...listed.keys()].sort(), names)
  for (const [name, sum] of listed) assert.equal(sum, sha(await fs.readFile(path.join(dir, name))), name)
  const struktur = await fs.readFile(path.join(dir, 'arkivstruktur.xml'), 'utf8')
  for (const m of struktur.matchAll(/<referanseDokumentfil>([^<]+)<\/referanseDokumentfil>\s*<sjekksum>([0-9a-f]{64})<\/sjekksum>/g)) {
    assert.equal(m[2], listed.get(m[1]!), m[1])
  }

  // The structure: two mappe, the edited post with two versions and a comments document.
  assert.equal((struktur.match(/<mappe>/g) ?? []).length, 2)
  assert.match(struktur, /<tittel>Digital post i kommunen<\/tittel>/)
  assert.doesNotMatch(struktur, /Utenfor perioden/)
  assert.ok(names.includes('dokumenter/innlegg-' + s.first + '-v2.pdf'))
  assert.ok(names.includes('dokumenter/innlegg-' + s.first + '-kommentarer.pdf'))
  assert.match(struktur, /<merknadstekst>[^<]+<\/merknadstekst>\s*<merknadstype>Redaksjonell beslutning<\/merknadstype>/)
  const log = await fs.readFile(path.join(dir, 'endringslogg.xml'), 'utf8')
  assert.match(log, /<tidligereVerdi>Digital post &amp; &lt;kommune&gt;<\/tidligereVerdi>\s*<nyVerdi>Digital post i kommunen<\/nyVerdi>/)

  for (const f of x.files.filter((f) => f.name.endsWith('.pdf'))) {
    const pdf = f.data.toString('latin1')
    assert.match(pdf, /^%PDF-1\.7/)
    assert.match(pdf, /<pdfaid:part>2<\/pdfaid:part>/)
    assert.match(pdf, /<pdfaid:conformance>B<\/pdfaid:conformance>/)
    assert.match(pdf, /\/OutputIntents/)
    assert.match(pdf, /\/FontFile2/)
    assert.doesNotMatch(pdf, /\/BaseFont \/Helvetica/)
  }

  const audit = await app.db.selectFrom('audit_events').selectAll().where('action', '=', 'archive.extract').execute()
  assert.equal(audit.length, 1)
  assert.equal(audit[0]!.content_hash, sha(x.files[0]!.data))
  assert.equal(audit[0]!.actor_id, s.editor.id)
  assert.equal((await verifyAuditChain(app.db)).ok, true)
})

test('administrators download the extract as a ZIP; mistakes come back beside the field; others are refused', async (t) => {
  const app = await buildTestApp(t)
  const s = await seed(app)
  const admin = await makeUser(app, { role: 'admin' })
  const c = await loggedIn(app, admin)
  const page = await c.get('/admin/archive')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Ingen uttrekk er laget ennå/)

  const bad = await c.post('/admin/archive', { from: '2026-13-01', to: '2026-01-01' })
  assert.equal(bad.statusCode, 422)
  assert.match(bad.body, /id="f_from-error">Skriv en gyldig dato/)
  assert.match(bad.body, /value="2026-13-01"/)
  const empty = await c.post('/admin/archive', { from: '2020-01-01', to: '2020-12-31' }, { from: '/admin/archive' })
  assert.equal(empty.statusCode, 422)
  assert.match(empty.body, /Ingenting ble publisert i denne perioden/)

  const res = await c.post('/admin/archive', { from: '2026-01-01', to: '2026-12-31' }, { from: '/admin/archive' })
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['content-type'], 'application/zip')
  assert.match(String(res.headers['content-disposition']), /attachment; filename="arkivuttrekk-2026-01-01-2026-12-31\.zip"/)
  const files = unzipSync(new Uint8Array(res.rawPayload))
  const manifest = Buffer.from(files['arkivuttrekk-2026-01-01-2026-12-31/arkivuttrekk.xml']!).toString('utf8')
  for (const [name, sum] of listedChecksums(manifest)) assert.equal(sha(files[`arkivuttrekk-2026-01-01-2026-12-31/${name}`]!), sum)
  const again = await c.get('/admin/archive')
  assert.match(again.body, /2026-01-01–2026-12-31/)

  const editor = await loggedIn(app, s.editor)
  assert.equal((await editor.get('/admin/archive')).statusCode, 403)
  const en = await c.get('/admin/archive', { 'accept-language': 'en' })
  assert.match(en.body, /Archive extract|Arkivuttrekk/)
})

test('archive extract from the command line writes the folder and names its checksum', async (t) => {
  const app = await buildTestApp(t)
  await seed(app)
  const data = dataEnv(app)
  await app.close()
  const out = path.join(await makeTempDir('archive-cli-'), 'uttrekk')
  t.after(() => fs.rm(path.dirname(out), { recursive: true, force: true }))
  const lines: string[] = []
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), readStdin: async () => '', promptSecret: async () => undefined }
  const env = { ...data, SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'silent' }
  assert.equal(await runCli(['archive', 'extract', '--from', '2026-01-01', '--to', '2026-12-31', '--out', out], env, io), 0)
  const manifest = await fs.readFile(path.join(out, 'arkivuttrekk.xml'))
  assert.match(lines.join('\n'), new RegExp(`2 posts, 4 documents\\. SHA-256 of arkivuttrekk\\.xml: ${sha(manifest)}`))
  assert.equal(xmllint(path.join(out, 'arkivstruktur.xml'), 'arkivstruktur.xsd'), '')
  const bad: string[] = []
  assert.equal(await runCli(['archive', 'extract', '--from', 'x', '--to', '2026-12-31', '--out', out + '2'], env, { ...io, err: (l) => bad.push(l) }), 1)
  assert.match(bad.join('\n'), /from: Enter a valid date/)
  assert.equal(await runCli(['archive', 'extract'], env, { ...io, err: (l) => bad.push(l) }), 2)
})
